"""Run deboil over JSON Lines or WARC shards with PySpark.

The deboil binary is shipped to every executor with SparkContext.addFile (the
same as spark-submit --files), and each partition is piped through one deboil
process:

  JSONL: every line of the input files is a record (fields url, and html or
         text; other fields pass through). Each partition is streamed through
         `deboil clean --jsonl`: one output line per record, in order.
  WARC:  every input path is one task that runs `deboil warc PATH`. The
         paths must be readable from every executor (a shared filesystem or
         a mounted bucket); deboil streams the file record by record.

The output is a directory of JSON Lines part files (saveAsTextFile).

  python deboil_spark.py --deboil ./deboil --master 'local[2]' \\
      --jsonl shards/*.jsonl --output cleaned/

  spark-submit --master yarn deboil_spark.py --deboil ./deboil \\
      --warc /mnt/cc/CC-MAIN-*.warc.gz --output hdfs:///cleaned

With deboil installed at the same path on every node, pass --installed
/usr/local/bin/deboil instead of --deboil and nothing is shipped.
"""

import argparse
import os
import stat
import subprocess
import sys
import threading

from pyspark import SparkConf, SparkContext, SparkFiles


def executable(binary):
    """The deboil binary on this executor: (shipped, name) is looked up
    among the files shipped with addFile and made executable; (installed,
    path) is used as it is."""
    how, name = binary
    if how == "installed":
        return name
    path = SparkFiles.get(name)
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def run_checked(command, lines_in=None):
    """Run command, feed it lines_in (an iterator of str) on stdin if given,
    and yield its stdout lines; raise if it fails. stderr goes to the
    executor's log."""
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if lines_in is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
    )
    feeder_error = []

    def feed():
        try:
            for line in lines_in:
                proc.stdin.write(line.encode("utf-8"))
                proc.stdin.write(b"\n")
        except BrokenPipeError as err:
            feeder_error.append(err)
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    feeder = None
    if lines_in is not None:
        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
    for line in proc.stdout:
        yield line.decode("utf-8").rstrip("\n")
    if feeder is not None:
        feeder.join()
    code = proc.wait()
    # Exit 1 from `deboil warc` means a damaged input file: its records up to
    # the damage and an error record are in the output already.
    allowed = (0, 1) if "warc" in command else (0,)
    if code not in allowed or feeder_error:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {code}")


def clean_jsonl_partition(binary, jobs):
    def clean(lines):
        command = [executable(binary), "clean", "--jsonl", "--jobs", str(jobs)]
        return run_checked(command, lines)

    return clean


def clean_warc_partition(binary, jobs):
    def clean(paths):
        for path in paths:
            command = [executable(binary), "warc", "--jobs", str(jobs), path]
            yield from run_checked(command)

    return clean


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    binaries = parser.add_mutually_exclusive_group(required=True)
    binaries.add_argument("--deboil", metavar="PATH",
                          help="the deboil binary to ship to the executors")
    binaries.add_argument("--installed", metavar="PATH",
                          help="where deboil is installed on every node")
    inputs = parser.add_mutually_exclusive_group(required=True)
    inputs.add_argument("--jsonl", nargs="+", metavar="FILE",
                        help="JSON Lines shards (any path Spark reads)")
    inputs.add_argument("--warc", nargs="+", metavar="FILE",
                        help="WARC files readable by every executor")
    parser.add_argument("--output", required=True,
                        help="output directory (must not exist)")
    parser.add_argument("--master", help="Spark master, e.g. local[2]")
    parser.add_argument("--jobs", type=int, default=1,
                        help="threads per deboil process (default 1: Spark "
                             "runs one task per core already)")
    parser.add_argument("--partitions", type=int,
                        help="JSONL partitions (default: Spark's choice)")
    args = parser.parse_args(argv)

    conf = SparkConf().setAppName("deboil")
    if args.master:
        conf.setMaster(args.master)
    sc = SparkContext(conf=conf)
    try:
        if args.deboil:
            sc.addFile(os.path.abspath(args.deboil))
            binary = ("shipped", os.path.basename(args.deboil))
        else:
            binary = ("installed", args.installed)
        if args.jsonl:
            lines = sc.textFile(",".join(args.jsonl), args.partitions)
            cleaned = lines.mapPartitions(clean_jsonl_partition(binary, args.jobs))
        else:
            paths = sc.parallelize(args.warc, len(args.warc))
            cleaned = paths.mapPartitions(clean_warc_partition(binary, args.jobs))
        cleaned.saveAsTextFile(args.output)
    finally:
        sc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
