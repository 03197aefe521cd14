#!/usr/bin/env bash
# The side-by-side speed run: deboil and trafilatura on the same pages, on
# this machine, in one run.
#
#   benches/speed.sh [BENCH_DIR]      (default ../shared/bench/scrapinghub)
#
# BENCH_DIR holds html/*.html.gz and text/*.txt (the ScrapingHub benchmark's
# layout). Prints, one core: deboil HTML pages/s and MB/s, html5ever's parse
# alone, trafilatura pages/s, deboil text-dump MB/s; then batch and JSONL
# with 1 and 2 worker threads. trafilatura is installed on first use into
# target/speed-venv (pip, needs the package index). Each single-thread
# figure is the best of ROUNDS_BEST runs (default 3), since a shared
# machine's clock is noisy; run it on an otherwise idle machine. With
# COUNT_INSTRUCTIONS=1 it also counts instructions per HTML page under
# callgrind (valgrind), for deboil and trafilatura, and per text-dump page
# for deboil, with the branches deboil's text path mispredicts (cachegrind):
# figures that do not swing with the machine's clock (takes about ten
# minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${1:-../shared/bench/scrapinghub}
BEST=${ROUNDS_BEST:-3}
TRAFILATURA=${TRAFILATURA_VERSION:-2.3.1}

cargo build --release --quiet --bin deboil --example clean_time --example parse_only
VENV=target/speed-venv
if ! "$VENV/bin/python" -c "import trafilatura, justext" 2>/dev/null; then
    python3 -m venv "$VENV"
    # lxml 5.2+ moved lxml.html.clean (which jusText, under trafilatura,
    # imports) to its own package.
    "$VENV/bin/pip" install --quiet "trafilatura==$TRAFILATURA" lxml_html_clean
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The highest "N pages/s" a command prints over $BEST runs.
best() {
    local top=0 rate
    for _ in $(seq "$BEST"); do
        rate=$("$@" | grep -o '[0-9.]* pages/s' | head -1 | cut -d' ' -f1)
        if [ -z "$rate" ]; then
            echo "speed.sh: no pages/s from: $*" >&2
            exit 1
        fi
        top=$(python3 -c "print(max($top, $rate))")
    done
    echo "$top"
}

# Seconds a command takes.
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.2f}')"
}

pages=$(ls "$BENCH"/html/*.html.gz | wc -l)
html_mb=$(python3 -c "import glob,gzip; print(f'{sum(len(gzip.open(p).read()) for p in glob.glob(\"$BENCH/html/*.html.gz\"))/1e6:.1f}')")
text_mb=$(du -cb "$BENCH"/text/*.txt | tail -1 | python3 -c "import sys; print(f'{int(sys.stdin.read().split()[0])/1e6:.2f}')")

echo "pages: $pages ($html_mb MB of HTML, $text_mb MB of text dumps); best of $BEST runs"
echo
echo "one core"
deboil_html=$(best ./target/release/examples/clean_time --rounds 3 "$BENCH"/html/*.html.gz)
parse=$(best ./target/release/examples/parse_only "$BENCH"/html/*.html.gz)
cat >"$TMP/trafilatura_time.py" <<'PY'
import glob, gzip, sys, time
import trafilatura
pages = [gzip.open(p).read() for p in sorted(glob.glob(sys.argv[1] + "/html/*.html.gz"))]
start = time.perf_counter()
for page in pages:
    trafilatura.extract(page)
print(f"{len(pages) / (time.perf_counter() - start):.1f} pages/s")
PY
traf=$(best "$VENV/bin/python" "$TMP/trafilatura_time.py" "$BENCH")
deboil_text=$(best ./target/release/examples/clean_time --text --rounds 20 "$BENCH"/text/*.txt)
python3 - "$deboil_html" "$parse" "$traf" "$deboil_text" "$html_mb" "$text_mb" "$pages" <<'PY'
import sys
html, parse, traf, text, html_mb, text_mb, pages = map(float, sys.argv[1:])
mb = lambda rate, total: rate * total / pages
print(f"  deboil HTML         {html:7.0f} pages/s  {mb(html, html_mb):6.1f} MB/s  ({html / traf:.1f}x trafilatura)")
print(f"  html5ever parse     {parse:7.0f} pages/s  (deboil's whole path takes {parse / html:.2f}x the parse's time)")
print(f"  trafilatura         {traf:7.1f} pages/s")
print(f"  deboil text dumps   {text:7.0f} pages/s  {mb(text, text_mb):6.1f} MB/s")
PY

echo
echo "scaling (wall seconds, 1 -> 2 worker threads)"
python3 - "$BENCH" "$TMP/pages.jsonl" <<'PY'
import glob, gzip, json, sys
with open(sys.argv[2], "w") as out:
    for p in sorted(glob.glob(sys.argv[1] + "/html/*.html.gz")):
        out.write(json.dumps({"url": p, "html": gzip.open(p).read().decode("utf-8", "replace")}) + "\n")
PY
for kind in html text; do
    one=$(seconds ./target/release/deboil batch "$BENCH/$kind" "$TMP/out-$kind-1" --jobs 1)
    two=$(seconds ./target/release/deboil batch "$BENCH/$kind" "$TMP/out-$kind-2" --jobs 2)
    echo "  batch $kind: $one s -> $two s"
done
one=$(seconds sh -c "./target/release/deboil clean --jsonl --jobs 1 < $TMP/pages.jsonl")
two=$(seconds sh -c "./target/release/deboil clean --jsonl --jobs 2 < $TMP/pages.jsonl")
echo "  jsonl html: $one s -> $two s"

if [ "${COUNT_INSTRUCTIONS:-0}" = 1 ]; then
    echo
    echo "instructions per HTML page (callgrind; runs with N pages minus runs with fewer)"
    # Instructions of a whole run.
    refs() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 \
            | grep 'refs:' | tr -d , | awk '{print $NF}'
    }
    # Branches the processor would guess wrong in a whole run, by
    # cachegrind's simulation of a predictor: on text dumps they cost about
    # as much time as a quarter of the instructions.
    mispredicts() {
        valgrind --tool=cachegrind --cache-sim=no --branch-sim=yes \
            --cachegrind-out-file=/dev/null "$@" 2>&1 \
            | tr -d , | awk '{for (i = 1; i < NF; i++) if ($i == "Mispredicts:") print $(i + 1)}'
    }
    # A count (`refs` or `mispredicts`) per page of deboil cleaning the
    # pages named after it: three rounds minus one, so that start-up cancels.
    per_page() {
        local count=$1 one three
        shift
        one=$("$count" ./target/release/examples/clean_time --rounds 1 "$@")
        three=$("$count" ./target/release/examples/clean_time --rounds 3 "$@")
        echo $(( (three - one) / 2 / pages ))
    }
    echo "  deboil       $(per_page refs "$BENCH"/html/*.html.gz)"
    echo "  deboil text  $(per_page refs --text "$BENCH"/text/*.txt) (per text-dump page)"
    cat >"$TMP/trafilatura_count.py" <<'PY'
import glob, gzip, sys
import trafilatura
paths = sorted(glob.glob(sys.argv[1] + "/html/*.html.gz"))[: int(sys.argv[2])]
for page in [gzip.open(p).read() for p in paths]:
    trafilatura.extract(page)
PY
    none=$(refs "$VENV/bin/python" "$TMP/trafilatura_count.py" "$BENCH" 0)
    all=$(refs "$VENV/bin/python" "$TMP/trafilatura_count.py" "$BENCH" "$pages")
    echo "  trafilatura  $(( (all - none) / pages ))"
    echo "  deboil text  $(per_page mispredicts --text "$BENCH"/text/*.txt) mispredicted branches per text-dump page"
fi
