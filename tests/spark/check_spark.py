"""End-to-end test of examples/spark/deboil_spark.py in local[2] mode.

Generates a corpus (JSONL shards and per-record-gzip WARC shards) from the
project's HTML and text fixtures, runs the example over each, and checks
that every record comes back once, with its own fields, cleaned exactly as
`deboil clean` cleans the same page alone. Ends with `spark: N passed, M
failed` and exits 1 on any failure.

  python tests/spark/check_spark.py --deboil target/release/deboil
"""

import argparse
import glob
import gzip
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "spark", "deboil_spark.py")


def fixtures():
    """(kind, url, page) for every fixture page: HTML and text dumps."""
    pages = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/html/*.html"))):
        with open(path, encoding="utf-8") as f:
            pages.append(("html", "https://news.example.com/", f.read()))
    for site in ("express.co.uk", "suaramalaysia.com", "generic"):
        for path in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures", site, "*.txt"))):
            with open(path, encoding="utf-8") as f:
                url = f"https://www.{site}/news/" if site != "generic" else "https://blog.example.org/"
                pages.append(("text", url, f.read()))
    if not pages:
        sys.exit("spark: no fixtures found under tests/fixtures")
    return pages


def make_records(count):
    """count records, each page made distinct by a sentence naming it."""
    pages = fixtures()
    records = []
    for i in range(count):
        kind, url, page = pages[i % len(pages)]
        marker = f"Filed as record number {i} of the Spark test corpus, in a sentence long enough to read as prose."
        if kind == "html":
            page = page.replace("</body>", f"<p>{marker}</p></body>", 1)
        else:
            page = page + f"\n{marker}\n"
        records.append({"id": i, "shard": i % 3, kind: page, "url": f"{url}{i}", "tags": ["a", {"z": 1, "b": 2}]})
    return records


def warc_record(kind, uri, record_id, content_type, block):
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: 2024-06-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + block + b"\r\n\r\n", compresslevel=1)


def write_warc(path, records):
    with open(path, "wb") as out:
        out.write(warc_record("warcinfo", "", "info", "application/warc-fields", b"software: check_spark\r\n"))
        for r in records:
            body = r["html"].encode("utf-8")
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
            out.write(warc_record("request", r["url"], f"req-{r['id']}", "application/http; msgtype=request",
                                  b"GET / HTTP/1.1\r\n\r\n"))
            out.write(warc_record("response", r["url"], f"rec-{r['id']}", "application/http; msgtype=response", http))


def clean_alone(deboil, kind, url, page):
    out = subprocess.run(
        [deboil, "clean", "--input", kind, "--url", url],
        input=page.encode("utf-8"), capture_output=True, check=True,
    )
    return out.stdout.decode("utf-8")


def run_example(deboil, mode, inputs, output, python):
    command = [python, EXAMPLE, "--deboil", deboil, "--master", "local[2]",
               f"--{mode}", *inputs, "--output", output]
    if mode == "jsonl":
        command += ["--partitions", "4"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-8000:])
        raise SystemExit(f"spark: the example failed ({mode}) with exit code {result.returncode}")
    lines = []
    for part in sorted(glob.glob(os.path.join(output, "part-*"))):
        with open(part, encoding="utf-8") as f:
            lines += [json.loads(line) for line in f if line.strip()]
    return lines


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deboil", required=True)
    parser.add_argument("--records", type=int, default=48)
    args = parser.parse_args()
    deboil = os.path.abspath(args.deboil)
    tally = Tally()
    records = make_records(args.records)
    expected = {r["id"]: clean_alone(deboil, "html" if "html" in r else "text", r["url"], r.get("html") or r["text"])
                for r in records}

    with tempfile.TemporaryDirectory(prefix="deboil-spark-") as tmp:
        # JSONL: three shards, plus one malformed line that must come back as
        # an error record in place.
        shards = []
        for s in range(3):
            path = os.path.join(tmp, f"shard-{s}.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                for r in records:
                    if r["shard"] == s:
                        f.write(json.dumps(r, ensure_ascii=False) + "\n")
                if s == 1:
                    f.write("{this is not json\n")
            shards.append(path)
        out = run_example(deboil, "jsonl", shards, os.path.join(tmp, "out-jsonl"), sys.executable)
        errors = [o for o in out if "deboil_error" in o]
        tally.check(len(errors) == 1 and "not a JSON object" in errors[0]["deboil_error"]["reason"],
                    f"jsonl: one error record for the malformed line, got {errors}")
        by_id = {}
        for o in out:
            if "deboil" in o:
                tally.check(o["id"] not in by_id, f"jsonl: record {o['id']} came back twice")
                by_id[o["id"]] = o
        for r in records:
            got = by_id.get(r["id"])
            ok = (got is not None and got["deboil"]["text"] == expected[r["id"]]
                  and got["deboil"]["text"].strip() != "" and got["url"] == r["url"] and got["tags"] == r["tags"] and got["shard"] == r["shard"]
                  and "html" not in got and "text" not in got)
            tally.check(ok, f"jsonl: record {r['id']} ({r['url']}) differs from `deboil clean`: {got and got['deboil']['text'][:200]!r}")

        # WARC: the HTML records in two per-record-gzip shards.
        html = [r for r in records if "html" in r]
        warcs = []
        for s in range(2):
            path = os.path.join(tmp, f"shard-{s}.warc.gz")
            write_warc(path, html[s::2])
            warcs.append(path)
        out = run_example(deboil, "warc", warcs, os.path.join(tmp, "out-warc"), sys.executable)
        by_url = {o["url"]: o for o in out}
        tally.check(len(out) == len(html), f"warc: {len(out)} records out for {len(html)} HTML responses")
        for r in html:
            got = by_url.get(r["url"])
            ok = (got is not None and got["deboil"]["text"] == expected[r["id"]]
                  and got["warc_record_id"] == f"<urn:uuid:rec-{r['id']}>")
            tally.check(ok, f"warc: record {r['id']} ({r['url']}) differs from `deboil clean`")

    print(f"spark: {tally.passed} passed, {tally.failed} failed")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
