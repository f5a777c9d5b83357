#!/usr/bin/env python3
"""Adversarial runs of the CLI: each case generates its input (gen.py) into
the work directory, runs nergraph under /usr/bin/time -v, checks the result
and the message, and asserts a bound on peak memory (RSS). Generated files
are removed afterwards. Under sanitizers (--sanitized) the inputs are smaller
and memory is not asserted (ASan's shadow memory is not the program's).

    check.py --cli nergraph --src SRC --work DIR [--sanitized] CASE

CASE: dict (1,000,000 aliases), line (one line of 200 MiB, and a file over
the 1 GiB document limit), window (one sentence naming 5,000 entities).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

MIB = 1 << 20
TIME = "/usr/bin/time"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(args, cwd):
    """Run the CLI; returns (exit code, stdout, stderr, peak RSS in bytes or
    None when /usr/bin/time is missing, seconds)."""
    timed = os.path.exists(TIME)
    cmd = ([TIME, "-v"] if timed else []) + args
    t0 = time.monotonic()
    # no compiled-matcher cache: the cost measured is the build, and a test
    # must not leave images in the user's cache directory
    p = subprocess.run(cmd, cwd=cwd, capture_output=True,
                       env=dict(os.environ, NERGRAPH_CACHE_DIR=""))
    secs = time.monotonic() - t0
    err = p.stderr.decode("utf-8", "replace")
    rss = None
    if timed:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
        rss = int(m.group(1)) * 1024 if m else None
        err = err[: err.rfind("\tCommand being timed:")]
    print("  %s: exit %d in %.1f s, peak RSS %s" % (
        " ".join(os.path.basename(a) for a in args[:2]), p.returncode, secs,
        "%.0f MiB" % (rss / MIB) if rss else "not measured"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), err, rss


def bounded(rss, limit, what, opts):
    if opts.sanitized or rss is None:
        print("skip memory bound of %s (%s)" % (what, "sanitizers" if opts.sanitized
                                                 else TIME + " missing"))
        return
    check(rss <= limit, "%s: peak RSS %.0f MiB <= %.0f MiB" % (what, rss / MIB, limit / MIB))


def case_dict(opts, work):
    """1,000,000 aliases: the matcher is built and finds aliases of the
    first, a middle and the last entity, nothing in a text naming none;
    memory stays bounded."""
    count = 100000 if opts.sanitized else 1000000
    names = gen.gen_dict(count, os.path.join(work, "dict"))
    picks = (0, count // 2 + 7, count - 1)
    with open(os.path.join(work, "a.txt"), "w", encoding="utf-8") as f:
        f.write("Nothing here is named in this dictionary.\n\n%s met %s and %s.\n" %
                tuple(names[i] for i in picks))
    rc, out, err, rss = run([opts.cli, "tag", "--dict", "dict", "a.txt"], work)
    check(rc == 0, "%d aliases: exit 0 (exit %d: %s)" % (count, rc, err.strip()))
    found = [json.loads(line)["entity"] for line in out.splitlines()]
    want = ["e%06d" % (i // 1000) for i in picks]
    check(found == want, "%d aliases: found %s, expected %s" % (count, found, want))
    bounded(rss, 2048 * MIB, "%d aliases" % count, opts)


def case_line(opts, work):
    """One line of 200 MiB: read, two mentions at its two ends, one sentence
    spanning it; memory follows the document (a few bytes per byte). A file
    over the 1 GiB limit is refused before it is read."""
    mib = 20 if opts.sanitized else 200
    path = os.path.join(work, "line.txt")
    gen.gen_line(mib, path)
    size = os.path.getsize(path)
    rc, out, err, rss = run([opts.cli, "tag", "--dict", os.path.join(opts.src, "dictionaries"),
                             "line.txt"], work)
    mentions = [json.loads(x) for x in out.splitlines()]
    check(rc == 0 and err == "", "%d MiB line: exit 0, no message (exit %d: %s)" % (
        mib, rc, err.strip()))
    check([(m["entity"], m["start"], m["sentence"]) for m in mentions] ==
          [("kazakhstan", 0, [0, size]), ("china", size - 10, [0, size])],
          "%d MiB line: Kazakhstan at 0 and China at %d, one sentence" % (mib, size - 10))
    bounded(rss, 8 * size, "%d MiB line (8 bytes per byte)" % mib, opts)
    os.remove(path)

    # Sparse: over the limit without using the disk or reading a byte.
    with open(path, "wb") as f:
        f.truncate((1 << 30) + 1)
    rc, out, err, rss = run([opts.cli, "tag", "--dict", os.path.join(opts.src, "dictionaries"),
                             "line.txt"], work)
    check(rc == 1 and "line.txt: larger than the limit of 1073741824 bytes" in err and out == "",
          "1 GiB + 1 byte: exit 1 naming the file and the limit (exit %d: %s)" % (rc,
                                                                                  err.strip()))
    bounded(rss, 256 * MIB, "1 GiB + 1 byte refused", opts)
    os.remove(path)


def case_window(opts, work):
    """A sentence naming 5,000 entities: 12.5 million pairs capped to the
    499,500 among the first 1,000 by key, with a warning saying so. With
    --min-count 2 no edge is kept, so the outputs stay small while every
    pair is still counted."""
    count = 5000
    gen.gen_window(count, work)
    rc, out, err, rss = run([opts.cli, "build", "--min-count", "2", "--dict", "dict", "--out",
                             "out", "corpus"], work)
    want = ("nergraph: warning: corpus/a.txt:1: a sentence names 5000 entities; pairs are "
            "counted among the first 1000 by key only\n")
    check(rc == 0 and err == want, "5,000 entities: exit 0 and one warning (exit %d: %s)" % (
        rc, err.strip()))
    if rc == 0:
        with open(os.path.join(work, "out", "evidence.jsonl"), encoding="utf-8") as f:
            evidence = [json.loads(x) for x in f]
        keys = ["e%06d" % i for i in range(1000)]
        check(len(evidence) == 1 and evidence[0]["entities"] == keys,
              "evidence: the window with its first 1,000 entities by key")
        with open(os.path.join(work, "out", "report.txt"), encoding="utf-8") as f:
            check(f.readline().startswith("# nergraph report: 5000 actors, 0 links"),
                  "report: 5,000 actors")
    bounded(rss, 512 * MIB, "5,000 entities", opts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--sanitized", action="store_true")
    ap.add_argument("case", choices=["dict", "line", "window"])
    opts = ap.parse_args()
    work = os.path.join(opts.work, opts.case)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    globals()["case_" + opts.case](opts, work)
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit("%d check(s) failed" % len(failures))


if __name__ == "__main__":
    main()
