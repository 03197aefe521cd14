#!/usr/bin/env bash
# Hostile inputs, end to end through the release binary: oversized and
# compressed-bomb input, a 50 MB line, 100,000-deep nesting, a million
# elements, huge and numerous regexes in rule files, a 250 MB JSON Lines
# stream and a 30,000-record WARC file under a memory cap, and a batch run
# that is killed, starved of disk, and given loops, locked files and links
# out of its trees. Every case states its exit code, a message it must
# print and a time budget. Inputs are generated at run time into a
# temporary directory.
#
# Usage: tests/hostile.sh [path/to/deboil]   (default: builds target/release)
# Needs bash, python3, bc, gzip, timeout; about a minute on two cores.
# Ends with `hostile: N passed, M failed` and exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ge 1 ]]; then
    BIN=$(realpath "$1")
else
    cargo build --release --locked --quiet || exit 2
    BIN=$PWD/target/release/deboil
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/deboil-hostile.XXXXXX")
trap 'chmod -R u+rwX "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); printf 'ok      %-34s %s\n' "$1" "$2"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAILED  %-34s %s\n' "$1" "$2"; }

# case NAME EXPECTED_EXIT MESSAGE_REGEX SECONDS -- COMMAND...
# Runs COMMAND with a time budget; checks its exit code and that stdout or
# stderr matches MESSAGE_REGEX (empty: no check).
case_() {
    local name=$1 want=$2 message=$3 budget=$4
    shift 5
    local start end rc secs
    start=$(date +%s.%N)
    timeout "$budget" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
    rc=$?
    end=$(date +%s.%N)
    secs=$(printf '%.2f' "$(echo "$end - $start" | bc)")
    if [[ $rc -eq 124 ]]; then
        fail "$name" "timed out after ${budget}s"
    elif [[ $rc -ne $want ]]; then
        fail "$name" "exit $rc, expected $want: $(head -c 300 "$WORK/$name.err")"
    elif [[ -n $message ]] && ! grep -Eq -- "$message" "$WORK/$name.out" "$WORK/$name.err"; then
        fail "$name" "no /$message/ in output: $(head -c 300 "$WORK/$name.err")"
    else
        pass "$name" "exit $rc in ${secs}s"
    fi
}

# check NAME DESCRIPTION COMMAND...: a condition on the state after a case.
check() {
    local name=$1 what=$2
    shift 2
    if "$@"; then pass "$name" "$what"; else fail "$name" "$what"; fi
}

gen() { python3 -c "$1" >"$2"; }

echo "== generating inputs in $WORK"
G=$WORK/in
mkdir -p "$G"
gen 'import sys; sys.stdout.write("a" * (64 * 1024 * 1024 + 1))' "$G/over-default.txt"
head -c 200000000 /dev/zero | tr '\0' 'a' | gzip -1 >"$G/bomb.txt.gz"
gen 'import sys
w = ["alpha", "beta", "gamma", "delta", "said", "the", "river", "council"]
line = " ".join(w[i % 8] + str(i % 97) for i in range(5_600_000))
sys.stdout.write(line[:50_000_000] + ".\n")' "$G/line-50mb.txt"
gen 'import sys; sys.stdout.write("<html><body>" + "<div>" * 100000 + "deep text here" + "</div>" * 100000 + "</body></html>")' "$G/div-100k.html"
gen 'import sys; sys.stdout.write("<html><body><p>" + "<span>" * 100000 + "deep text here" + "</span>" * 100000 + "</p></body></html>")' "$G/span-100k.html"
gen 'import sys; sys.stdout.write("<html><body>" + "".join("<div class=c%d>level %d words" % (i % 7, i) for i in range(100000)) + "</div>" * 100000 + "</body></html>")' "$G/div-100k-text.html"
gen 'import sys
para = "<p>A paragraph of invented article text that is long enough to keep, with several words, ends here.</p>"
sys.stdout.write("<html><body>" + "<div>" * 300 + "<h1>A deep but real headline</h1>" + para * 3 + "</div>" * 300 + "</body></html>")' "$G/legit-300.html"
gen 'import sys; sys.stdout.write("<html><body>" + "<p>a</p>" * 1000000 + "</body></html>")' "$G/million-p.html"
gen 'import sys; sys.stdout.write("<html><body><p>" + "<b>x</b>" * 1000000 + "</p></body></html>")' "$G/million-b.html"
# Distinct lines: a classifier that compares every line with every later one
# (teasers, title copies) never finishes these.
gen 'import sys; sys.stdout.write("<html><body>" + "".join("<p>Line %d of the council minutes was read</p>" % i for i in range(1000000)) + "</body></html>")' "$G/million-distinct.html"
gen 'import sys; sys.stdout.write("".join("Item %d of the council minutes was read aloud and agreed.\n\n" % i for i in range(300000)))' "$G/distinct-300k.txt"
printf 'A headline\n\n\x00\x01binary' >"$G/binary.txt"
: >"$G/empty.txt"

R=$WORK/rules
mkdir -p "$R/huge" "$R/many" "$R/many-big" "$R/bad"
printf 'hosts = ["example.com"]\n\n[[rule]]\nid = "fine"\naction = "drop"\nmatch = "^fine$"\n\n[[rule]]\nid = "huge"\naction = "drop"\nmatch = '"'"'(?:\\w{100}){100}'"'"'\n' >"$R/huge/example.com.toml"
gen 'print("hosts = [\"example.com\"]\n")
for i in range(10000):
    print("[[rule]]\nid = \"r%d\"\naction = \"drop\"\nmatch = '"'"'^Promo code %d$'"'"'\n" % (i, i))' "$R/many/example.com.toml"
gen 'print("hosts = [\"example.com\"]\n")
for i in range(10000):
    print("[[rule]]\nid = \"r%d\"\naction = \"drop\"\nmatch = '"'"'^Promo code %d [a-z]+ \\d{1,4} offer$'"'"'\n" % (i, i))' "$R/many-big/example.com.toml"
printf 'hosts = ["example.com"]\n\n[[rule]]\nid = "x"\naction = "drop"\nmatch = "(unclosed"\n' >"$R/bad/example.com.toml"

echo "== single inputs"
case_ over-default-limit 2 'larger than the limit of 67108864 bytes' 30 -- "$BIN" clean "$G/over-default.txt"
case_ over-max-bytes-flag 2 'larger than the limit of 1000 bytes' 10 -- "$BIN" clean --max-bytes 1000 "$G/line-50mb.txt"
case_ over-limit-stdin 2 '<stdin>.*larger than the limit' 10 -- sh -c "\"$BIN\" clean --max-bytes 4096 - <\"$G/line-50mb.txt\""
case_ gzip-bomb 2 'decompresses to more than 67108864 bytes' 30 -- "$BIN" clean "$G/bomb.txt.gz"
case_ line-50mb 0 '' 60 -- "$BIN" clean "$G/line-50mb.txt"
case_ div-100k-deep 0 'deep text here' 20 -- "$BIN" clean "$G/div-100k.html"
case_ span-100k-deep 0 'deep text here' 20 -- "$BIN" clean "$G/span-100k.html"
case_ legit-300-deep 0 'A paragraph of invented article text' 10 -- "$BIN" clean "$G/legit-300.html"
case_ million-p-elements 0 '' 90 -- "$BIN" clean "$G/million-p.html"
case_ million-b-elements 0 '' 90 -- "$BIN" clean "$G/million-b.html"
case_ million-distinct-elements 0 'Line 999999 of the council minutes' 60 -- "$BIN" clean "$G/million-distinct.html"
case_ distinct-300k-lines 0 '' 40 -- "$BIN" clean "$G/distinct-300k.txt"
case_ binary-input 2 'looks binary' 10 -- "$BIN" clean "$G/binary.txt"
case_ empty-input 0 '' 10 -- "$BIN" clean "$G/empty.txt"

echo "== rule files"
case_ rules-huge-regex 2 'example.com.toml:11:9: invalid regex: the regex is too large' 30 -- "$BIN" rules check "$R/huge/example.com.toml"
case_ rules-huge-regex-clean 2 'example.com.toml:11:9: .*too large' 30 -- "$BIN" clean --rules "$R/huge" "$G/empty.txt"
case_ rules-10k-load 0 '1 files, 0 examples, 0 problems' 30 -- "$BIN" rules check "$R/many/example.com.toml"
case_ rules-10k-apply 0 'DROP example.com/r7777' 30 -- sh -c "printf 'Promo code 7777\nA long enough paragraph of invented article text, with several words, ends here.\n' | \"$BIN\" clean --explain --rules \"$R/many\" --site example.com"
case_ rules-10k-too-big 2 'example.com.toml:1:1: the file.s regexes together are too large' 60 -- "$BIN" rules check "$R/many-big/example.com.toml"
case_ rules-syntax-error 2 'example.com.toml:6:9: invalid regex' 10 -- "$BIN" rules check "$R/bad/example.com.toml"

echo "== streams"
# A long JSONL stream (about 250 MB, generated as it is read, never stored)
# and a large Common Crawl-style WARC file (a gzip member per record): every
# record comes back, in order, and the process's peak memory stays a small
# fraction of the input's size, whatever its length.
S=$WORK/streams
mkdir -p "$S"
cat >"$S/pages.py" <<'EOF'
import gzip, json, sys
kind, n = sys.argv[1], int(sys.argv[2])
nav = "<ul class=nav>" + "".join("<li><a href=/s%d>Section %d</a></li>" % (i, i) for i in range(30)) + "</ul>"
body = "".join("<p>Paragraph %d of an invented council story, long enough to read as prose, with the words the classifier counts.</p>" % j for j in range(60))
out = sys.stdout.buffer
for i in range(n):
    html = "<html><head><title>Story %d</title></head><body>%s<article>%s</article><footer>Copyright</footer></body></html>" % (i, nav, body)
    if kind == "jsonl":
        out.write((json.dumps({"id": i, "url": "https://example.org/%d" % i, "html": html}) + "\n").encode())
        continue
    payload = html.encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload
    head = ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/%d\r\n"
            "WARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:%08d-0000-4000-8000-000000000000>\r\n"
            "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (i, i, len(http))).encode()
    out.write(gzip.compress(head + http + b"\r\n\r\n", 1))
EOF
# peak_rss FILE COMMAND...: run COMMAND (stdin and stdout passed through),
# write its peak resident memory in KiB to FILE, exit with its code.
peak_rss() {
    python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(rc)' "$@"
}
export -f peak_rss
RECORDS=30000
python3 "$S/pages.py" warc $RECORDS >"$S/big.warc.gz"
case_ jsonl-long-stream 0 "$RECORDS records.*$RECORDS cleaned, 0 errors" 120 -- bash -c "set -o pipefail; python3 \"$S/pages.py\" jsonl $RECORDS | peak_rss \"$S/jsonl.rss\" \"$BIN\" clean --jsonl --jobs 2 >\"$S/jsonl.out\""
case_ warc-large-file 0 "$RECORDS cleaned" 120 -- bash -c "peak_rss \"$S/warc.rss\" \"$BIN\" warc --jobs 2 \"$S/big.warc.gz\" >\"$S/warc.out\""
# every_record_in_order OUT: one output line per record, each cleaned (its
# last paragraph kept), their URLs' numbers counting 0, 1, 2, ... in order.
every_record_in_order() {
    python3 - "$1" "$RECORDS" <<'EOF'
import json, sys
got = []
for line in open(sys.argv[1]):
    record = json.loads(line)
    cleaned = "Paragraph 59" in record.get("deboil", {}).get("text", "")
    got.append(int(record["url"].rsplit("/", 1)[1]) if cleaned else -1)
sys.exit(0 if got == list(range(int(sys.argv[2]))) else 1)
EOF
}
check jsonl-long-stream-order "$RECORDS records cleaned, in input order" every_record_in_order "$S/jsonl.out"
check warc-large-file-order "$RECORDS records cleaned, in file order" every_record_in_order "$S/warc.out"
# Peak memory under 128 MiB: the JSONL stream is about 250 MB, the WARC
# file's records about 230 MB uncompressed.
under_128_mib() { [[ $(cat "$1") -lt 131072 ]]; }
check jsonl-long-stream-memory "peak RSS $(cat "$S/jsonl.rss" 2>/dev/null) KiB" under_128_mib "$S/jsonl.rss"
check warc-large-file-memory "peak RSS $(cat "$S/warc.rss" 2>/dev/null) KiB" under_128_mib "$S/warc.rss"

echo "== batch"
B=$WORK/batch
mkdir -p "$B/in/site/a" "$B/in/site/b"
for i in $(seq 1 400); do
    d=$([[ $((i % 2)) -eq 0 ]] && echo a || echo b)
    {
        printf '<html><head><title>Invented page %d</title></head><body><nav>Home | News | Sport</nav><h1>Invented headline %d</h1>' "$i" "$i"
        for j in 1 2 3 4 5 6; do printf '<p>Paragraph %d of invented article %d about the river council, long enough to keep, ends here.</p>' "$j" "$i"; done
        printf '<footer>Copyright 2024 Example</footer></body></html>\n'
    } >"$B/in/site/$d/page-$i.html"
done
cp "$G/binary.txt" "$B/in/site/binary.txt"
ln -s ../site "$B/in/site/loop"
ln -s loop-b "$B/in/site/loop-a"
ln -s loop-a "$B/in/site/loop-b"
ln -s /etc/hostname "$B/in/site/outside-link"
cp "$B/in/site/a/page-2.html" "$B/in/site/locked.html"
chmod 000 "$B/in/site/locked.html"
if [[ -r $B/in/site/locked.html ]]; then LOCKED_FAILS=0; else LOCKED_FAILS=1; fi
INPUT_SUM=$(cd "$B/in" && find . -type f -exec cat {} + 2>/dev/null | md5sum)
# 400 pages, binary, locked (fails unless root), 4 links (2 skipped, 2 failed).
ENTRIES=406

case_ batch-reference 1 '406 files' 120 -- "$BIN" batch --jobs 2 "$B/in" "$B/ref" --report "$WORK/ref.json"
totals_add_up() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
t = report["totals"]
statuses = [f["status"] for f in report["files"]]
ok = (t["files"] == int(sys.argv[2]) == len(report["files"])
      and t["files"] == t["cleaned"] + t["skipped"] + t["failed"]
      and statuses.count("cleaned") == t["cleaned"]
      and statuses.count("skipped") == t["skipped"]
      and statuses.count("failed") == t["failed"])
if not ok:
    print(t, file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}
check batch-totals-add-up "files = cleaned + skipped + failed = $ENTRIES, one record each" totals_add_up "$WORK/ref.json" $ENTRIES
failed_as_expected() {
    python3 - "$WORK/ref.json" "$LOCKED_FAILS" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
failed = sorted(f["path"] for f in report["files"] if f["status"] == "failed")
want = ["site/binary.txt", "site/loop-a", "site/loop-b"]
if sys.argv[2] == "1":
    want = sorted(want + ["site/locked.html"])
skipped = sorted(f["path"] for f in report["files"] if f["status"] == "skipped")
ok = failed == want and skipped == ["site/loop", "site/outside-link"]
if not ok:
    print(failed, skipped, file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}
check batch-failures-per-file "binary, link loops$([[ $LOCKED_FAILS == 1 ]] && echo ', chmod 000') failed; links skipped" failed_as_expected
check batch-no-escape "nothing written through links" test ! -e "$B/ref/site/outside-link" -a ! -e "$B/ref/site/loop"

# Killed mid-run: no partial output, and the next run completes the mirror.
# Bigger pages, so that the run is still going when it is killed.
for d in a b; do
    for f in "$B/in/site/$d"/page-*.html; do
        for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do cat "$f"; done >"$f.tmp" && mv "$f.tmp" "$f"
    done
done
"$BIN" batch --jobs 2 "$B/in" "$B/ref" >/dev/null 2>&1
"$BIN" batch --jobs 1 "$B/in" "$B/killed" >/dev/null 2>&1 &
KILL_PID=$!
# Kill it as soon as a few outputs exist: mid-run, whatever the machine's speed.
while kill -0 "$KILL_PID" 2>/dev/null &&
    [[ $(find "$B/killed" -type f ! -name '.deboil-*' 2>/dev/null | wc -l) -lt 10 ]]; do
    sleep 0.005
done
kill -9 "$KILL_PID" 2>/dev/null
wait "$KILL_PID" 2>/dev/null
INPUT_SUM=$(cd "$B/in" && find . -type f -exec cat {} + 2>/dev/null | md5sum)
WRITTEN=$(find "$B/killed" -type f ! -name '.deboil-*' | wc -l)
check batch-kill-mid-run "killed after $WRITTEN of 401 outputs" test "$WRITTEN" -lt 401
no_partial_outputs() {
    local f rel
    while IFS= read -r -d '' f; do
        rel=${f#"$B/killed/"}
        cmp -s "$f" "$B/ref/$rel" || { echo "partial: $rel" >&2; return 1; }
    done < <(find "$B/killed" -type f ! -name '.deboil-*' -print0)
}
check batch-kill-no-partial "the $WRITTEN outputs written before the kill are whole" no_partial_outputs
touch "$B/killed/site/a/.deboil-tmp-leftover"
case_ batch-resume 1 '406 files' 120 -- "$BIN" batch --jobs 2 "$B/in" "$B/killed"
check batch-resume-complete "mirror equals the reference" diff -r -x '.deboil-*' "$B/ref" "$B/killed"
check batch-resume-no-temp "no temporary files left" test -z "$(find "$B/killed" -name '.deboil-tmp-*')"
case_ batch-rerun-up-to-date 1 '0 cleaned into .*, (403 skipped \(401|402 skipped \(400) up to date\)' 60 -- "$BIN" batch --jobs 2 "$B/in" "$B/killed"
case_ batch-force 1 '(401|400) cleaned' 120 -- "$BIN" batch --force --jobs 2 "$B/in" "$B/killed"
case_ batch-other-options-redo 1 '(401|400) cleaned' 120 -- "$BIN" batch --body --jobs 2 "$B/in" "$B/killed"

# A full disk: a file-size limit makes writes of the report and of big
# outputs fail (SIGXFSZ ignored, so the write returns EFBIG as on ENOSPC).
mkdir -p "$B/disk/in"
cp "$B/in/site/a/page-2.html" "$B/disk/in/small.html"
gen 'import sys
sys.stdout.write("".join("Line %d of a long invented article about the river council, with several words, ends here.\n" % i for i in range(3000)))' "$B/disk/in/big.txt"
case_ batch-disk-full 1 'big.txt: cannot write .*(File too large|No space)' 60 -- bash -c "trap '' XFSZ; ulimit -f 64; exec \"$BIN\" batch --jobs 1 \"$B/disk/in\" \"$B/disk/out\""
check batch-disk-full-rest-goes-on "the small file was cleaned, no temp left" test -s "$B/disk/out/small.html" -a -z "$(find "$B/disk/out" -name '.deboil-tmp-*')"

# Outputs never escape the output directory, the input is never written.
mkdir -p "$B/esc/out" "$B/esc/elsewhere"
ln -s "$B/esc/elsewhere" "$B/esc/out/site"
case_ batch-output-link-out 1 'outside the output directory' 120 -- "$BIN" batch --jobs 2 "$B/in" "$B/esc/out"
check batch-output-link-out-untouched "nothing written through out/site" test -z "$(ls -A "$B/esc/elsewhere")"
case_ batch-output-inside-input 2 'inside the input directory' 10 -- "$BIN" batch "$B/in" "$B/in/site/cleaned"
check batch-input-untouched "input tree unchanged" test "$INPUT_SUM" = "$(cd "$B/in" && find . -type f -exec cat {} + 2>/dev/null | md5sum)"

echo "hostile: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
