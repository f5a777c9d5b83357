#!/usr/bin/python3
"""Partials merge exactly: any split of a corpus, counted apart and merged in
any order or grouping, gives out/ byte for byte as one `nergraph build`.

Modes (one ctest test each):
  splits     20 seeded random splits of the bundled corpus and of a generated
             one (sub-directories, odd names, a legacy encoding, a binary
             file, an empty file), shards of one document and empty shards,
             reduced in random trees, through files and through sorted
             standard input; count's partial is the same for 1 and 3 threads
  parallel   scripts/nergraph-parallel (GNU parallel) with 1, 2 and 3 jobs
  streaming  Hadoop Streaming's local test, documents as JSON Lines:
             cat docs.jsonl | mapper | sort | reducer, then the final merge
  errors     damaged, truncated, unsorted, double-counted partials and
             partials of other settings: exit 1, the message, out/ untouched
Exits 77 (skipped) when a needed program (GNU parallel) is missing.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import stat
import subprocess
import sys

SKIP = 77
SEEDS = range(1, 21)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(args, cwd, stdin=None, expect=0):
    p = subprocess.run(args, cwd=cwd, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=dict(os.environ, LC_ALL="C"))
    if p.returncode != expect:
        fail("%s: exit %d, expected %d\n%s" % (" ".join(map(str, args)), p.returncode, expect,
                                               p.stderr.decode(errors="replace")))
    return p


def same_dirs(want, got, what):
    names = sorted(os.listdir(want))
    if sorted(os.listdir(got)) != names:
        fail("%s: files %s, expected %s" % (what, sorted(os.listdir(got)), names))
    for n in names:
        with open(os.path.join(want, n), "rb") as a, open(os.path.join(got, n), "rb") as b:
            if a.read() != b.read():
                fail("%s: %s differs from one build" % (what, n))


def snapshot(d):
    if not os.path.isdir(d):
        return None
    return {n: hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest()
            for n in sorted(os.listdir(d))}


class Env:
    def __init__(self, cli, src, work):
        self.cli, self.src, self.work = cli, src, work
        self.dict = os.path.join(src, "dictionaries")

    def nergraph(self, *args, stdin=None, expect=0):
        return run([self.cli] + list(args), self.work, stdin, expect)

    def build(self, corpus, out):
        self.nergraph("build", "--dict", self.dict, "--out", out, *corpus)

    def documents(self, corpus_dir):
        """The documents of a directory as nergraph lists them, relative to work."""
        found = []
        for root, dirs, files in os.walk(os.path.join(self.work, corpus_dir)):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found += [os.path.relpath(os.path.join(root, f), self.work)
                      for f in files if not f.startswith(".")]
        return sorted(found, key=os.fsencode)


def generated_corpus(env):
    """Slices of the seed documents in sub-directories, with an odd name, a
    CP1251 file, a binary file and an empty file."""
    base = os.path.join(env.work, "gen")
    shutil.rmtree(base, ignore_errors=True)
    rng = random.Random(7)
    seeds = sorted(os.listdir(os.path.join(env.src, "corpus")))
    n = 0
    for name in seeds:
        text = open(os.path.join(env.src, "corpus", name), "rb").read()
        paras = text.split(b"\n\n")
        i = 0
        while i < len(paras):
            k = rng.randint(40, 120)
            sub = os.path.join(base, "part%d" % (n % 3))
            os.makedirs(sub, exist_ok=True)
            fname = "doc %03d, é.txt" % n if n == 5 else "doc-%03d.txt" % n
            with open(os.path.join(sub, fname), "wb") as f:
                f.write(b"\n\n".join(paras[i:i + k]))
            i += k
            n += 1
    legacy = "Қазақстан Республикасы мен Қытай Халық Республикасы. Назарбаев Алматыда.\n"
    with open(os.path.join(base, "legacy-cp1251.txt"), "wb") as f:
        f.write("Казахстан и Китай подписали договор в Астане. Токаев встретился с Си Цзиньпином.\n"
                .encode("cp1251"))
    with open(os.path.join(base, "kk-utf8.txt"), "w", encoding="utf-8") as f:
        f.write(legacy)
    with open(os.path.join(base, "image.bin"), "wb") as f:
        f.write(bytes(range(256)) * 8)
    open(os.path.join(base, "empty.txt"), "wb").close()
    return "gen"


def count_shard(env, files, out, threads="1"):
    if files:
        env.nergraph("count", "--dict", env.dict, "--threads", threads, "--out", out, *files)
    else:  # an empty shard: no documents at all
        env.nergraph("count", "--dict", env.dict, "--jsonl", "--out", out, "/dev/null")


def check_splits(env):
    corpora = {"corpus": os.path.join(env.src, "corpus"), "gen": generated_corpus(env)}
    shutil.rmtree(os.path.join(env.work, "corpus"), ignore_errors=True)
    shutil.copytree(corpora["corpus"], os.path.join(env.work, "corpus"))
    for corpus in ("corpus", "gen"):
        docs = env.documents(corpus)
        want = os.path.join(env.work, "want-" + corpus)
        env.build([corpus], want)
        # threads do not change a partial
        one, three = (os.path.join(env.work, "threads-%s.tsv" % t) for t in "13")
        count_shard(env, [corpus], one, "1")
        count_shard(env, [corpus], three, "3")
        if open(one, "rb").read() != open(three, "rb").read():
            fail("%s: count --threads 1 and 3 wrote different partials" % corpus)
        for seed in SEEDS:
            rng = random.Random(seed)
            shards = [[] for _ in range(rng.randint(1, min(len(docs), 6)) + rng.randint(0, 2))]
            for d in docs:
                shards[rng.randrange(len(shards))].append(d)
            if seed % 4 == 0:  # a shard of one document
                shards.append([shards[0].pop()] if shards[0] else [])
            parts = []
            for i, files in enumerate(shards):
                rng.shuffle(files)  # the order on the command line does not matter
                parts.append(os.path.join(env.work, "s%d-%d.tsv" % (seed, i)))
                count_shard(env, files, parts[-1])
            merged = 0
            while len(parts) > 1 and rng.random() < 0.7:
                group = rng.sample(parts, rng.randint(2, len(parts)))
                for p in group:
                    parts.remove(p)
                out = os.path.join(env.work, "m%d-%d.tsv" % (seed, merged))
                if rng.random() < 0.5:
                    env.nergraph("merge", "--partial", "--out", out, *group)
                else:  # a streaming reducer: sorted lines on standard input
                    lines = b"".join(open(p, "rb").read() for p in group)
                    lines = b"".join(sorted(lines.splitlines(keepends=True)))
                    res = env.nergraph("merge", "--partial", "-", stdin=lines)
                    open(out, "wb").write(res.stdout)
                parts.append(out)
                merged += 1
            rng.shuffle(parts)
            got = os.path.join(env.work, "got-%s-%d" % (corpus, seed))
            shutil.rmtree(got, ignore_errors=True)
            env.nergraph("merge", "--dict", env.dict, "--out", got, *parts)
            same_dirs(want, got, "%s seed %d (%d shards, %d merges)" %
                      (corpus, seed, len(shards), merged))
            shutil.rmtree(got)
        print("%s: %d documents, %d random splits merge into the bytes of one build" %
              (corpus, len(docs), len(SEEDS)))


def check_parallel(env):
    if not shutil.which("parallel"):
        print("SKIP: GNU parallel is not installed")
        sys.exit(SKIP)
    corpus = generated_corpus(env)
    want = os.path.join(env.work, "want")
    env.build([corpus], want)
    script = os.path.join(env.src, "scripts", "nergraph-parallel")
    for jobs, per in (("1", ""), ("2", "7"), ("3", "3")):
        got = os.path.join(env.work, "got-%s" % jobs)
        shutil.rmtree(got, ignore_errors=True)
        args = [script, "--nergraph", env.cli, "--dict", env.dict, "--out", got, "-j", jobs]
        run(args + (["-n", per] if per else []) + [corpus], env.work)
        same_dirs(want, got, "nergraph-parallel -j %s%s" % (jobs, " -n " + per if per else ""))
    print("nergraph-parallel with 1, 2 and 3 jobs writes the bytes of one build")


def check_streaming(env):
    corpus = generated_corpus(env)
    docs = [d for d in env.documents(corpus) if not d.endswith((".bin", "cp1251.txt"))]
    # JSON Lines as a Hadoop job gets them: shuffled, split among mappers
    lines = []
    for d in docs:
        text = open(os.path.join(env.work, d), "rb").read().decode("utf-8")
        lines.append(json.dumps({"doc": d, "text": text}, ensure_ascii=False) + "\n")
    random.Random(3).shuffle(lines)
    want = os.path.join(env.work, "want")
    env.build(docs, want)
    splits = [lines[i::3] for i in range(3)]
    mapped = b""
    for part in splits:
        # each mapper sees its documents out of name order: its output is
        # sorted by the framework before the reducer reads it
        mapped += env.nergraph("count", "--dict", env.dict, "--jsonl", "-",
                               stdin="".join(part).encode()).stdout
    shuffled = b"".join(sorted(mapped.splitlines(keepends=True)))
    reduced = env.nergraph("merge", "--partial", "-", stdin=shuffled).stdout
    combined = os.path.join(env.work, "combined.tsv")
    open(combined, "wb").write(reduced)
    got = os.path.join(env.work, "got")
    shutil.rmtree(got, ignore_errors=True)
    env.nergraph("merge", "--dict", env.dict, "--out", got, combined)
    same_dirs(want, got, "mapper | sort | reducer")
    # the same with the shell pipeline of the recipe in docs/scale-out.md
    docs_jsonl = os.path.join(env.work, "docs.jsonl")
    open(docs_jsonl, "w", encoding="utf-8").write("".join(lines))
    got2 = os.path.join(env.work, "got2")
    shutil.rmtree(got2, ignore_errors=True)
    pipeline = ("cat docs.jsonl | {n} count --dict {d} --jsonl - | LC_ALL=C sort | "
                "{n} merge --partial - > reduced.tsv && {n} merge --dict {d} --out got2 reduced.tsv"
                .format(n=env.cli, d=env.dict))
    run(["sh", "-c", pipeline], env.work)
    same_dirs(want, got2, "the recipe's shell pipeline")
    print("%d documents as JSON Lines through 3 mappers, sort and a reducer: the bytes of one "
          "build" % len(docs))


def swap_lines(data, i, j):
    lines = data.splitlines(keepends=True)
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def check_errors(env):
    os.makedirs(os.path.join(env.work, "docs"), exist_ok=True)
    for name, text in (("a.txt", "Kazakhstan and China signed it in Astana.\n"),
                       ("b.txt", "Tokayev met Xi Jinping in Beijing.\n")):
        open(os.path.join(env.work, "docs", name), "w").write(text)
    d = ["--dict", env.dict]
    env.nergraph("count", *d, "--out", "a.tsv", "docs/a.txt")
    env.nergraph("count", *d, "--out", "b.tsv", "docs/b.txt")
    env.nergraph("count", *d, "--window", "paragraph", "--out", "bp.tsv", "docs/b.txt")
    env.nergraph("merge", *d, "--out", "out", "a.tsv", "b.tsv")
    before = snapshot(os.path.join(env.work, "out"))
    a = open(os.path.join(env.work, "a.tsv"), "rb").read()
    cases = {
        "truncated.tsv": (a[:len(a) // 2], "truncated"),
        "no-trailer.tsv": (a[:a.rindex(b"~")], "truncated: the trailer line is missing"),
        "damaged.tsv": (a.replace(b"kazakhstan\t1", b"kazakhstan\t7"),
                        "and their checksum differs"),
        "unsorted.tsv": (swap_lines(a, -3, -2), "out of order"),
        "not-a-partial.tsv": (b"hello\n", "no header"),
        "bad-number.tsv": (a.replace(b"t\t1\t", b"t\tx\t"), "'x' is not a count"),
    }
    for name, (data, message) in cases.items():
        open(os.path.join(env.work, name), "wb").write(data)
        p = env.nergraph("merge", *d, "--out", "out", name, "b.tsv", expect=1)
        err = p.stderr.decode()
        if name not in err or message not in err or "byte " not in err:
            fail("%s: message %r lacks the file, byte offset or %r" % (name, err, message))
    checks = [
        (["a.tsv", "bp.tsv"], "counted with different settings", "window: sentence and paragraph"),
        (["a.tsv", "a.tsv"], "named twice", "a.tsv"),
    ]
    env.nergraph("merge", "--partial", "--out", "ab.tsv", "a.tsv", "b.tsv")
    checks.append((["ab.tsv", "b.tsv"], "counted twice", "docs/b.txt"))
    for args, what, detail in checks:
        err = env.nergraph("merge", *d, "--out", "out", *args,
                           expect=2 if what == "named twice" else 1).stderr.decode()
        if what not in err or detail not in err:
            fail("merge %s: message %r lacks %r, %r" % (args, err, what, detail))
    other = os.path.join(env.work, "other-dict")
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(env.dict, other)
    with open(os.path.join(other, "places.json"), "a") as f:
        f.write("\n")
    err = env.nergraph("merge", "--dict", other, "--out", "out", "a.tsv",
                       expect=1).stderr.decode()
    if "a.tsv was counted with other dictionaries" not in err:
        fail("a partial of other dictionaries: %r" % err)
    # unsorted lines on standard input, as a reducer gets them without sort
    unsorted = open(os.path.join(env.work, "b.tsv"), "rb").read() + a
    err = env.nergraph("merge", "--partial", "-", stdin=unsorted, expect=1).stderr.decode()
    if "standard input: byte" not in err or "LC_ALL=C sort" not in err:
        fail("unsorted standard input: %r" % err)
    if snapshot(os.path.join(env.work, "out")) != before:
        fail("a failed merge changed out/")
    # a document whose name cannot be a key
    err = env.nergraph("count", *d, "--jsonl", "-", expect=1,
                       stdin=b'{"doc": "a\\tb", "text": "China"}\n').stderr.decode()
    if "control characters" not in err:
        fail("a document name with a tab: %r" % err)
    err = env.nergraph("count", *d, "--jsonl", "-", expect=1,
                       stdin=b'{"doc": "x", "text": 5}\n').stderr.decode()
    if "standard input:1:1:" not in err:
        fail("a JSON Lines record without text: %r" % err)
    err = env.nergraph("count", *d, "--jsonl", "-", expect=1,
                       stdin=b'\n{"doc": "x", "text": "China"\n').stderr.decode()
    if "standard input:2:" not in err or "invalid JSON" not in err:
        fail("invalid JSON Lines: %r" % err)
    # a sliding window travels in the header and merges like the others
    env.nergraph("count", *d, "--window", "tokens:5", "--out", "at.tsv", "docs/a.txt")
    env.nergraph("count", *d, "--window", "tokens:6", "--out", "bt6.tsv", "docs/b.txt")
    env.nergraph("count", *d, "--window", "tokens:5", "--out", "bt.tsv", "docs/b.txt")
    err = env.nergraph("merge", *d, "--out", "out", "at.tsv", "bt6.tsv", expect=1).stderr.decode()
    if "window: tokens:5 and tokens:6" not in err:
        fail("partials of two token windows: %r" % err)
    env.nergraph("merge", *d, "--out", "merged-tokens", "at.tsv", "bt.tsv")
    env.nergraph("build", *d, "--window", "tokens:5", "--out", "built-tokens", "docs")
    same_dirs(os.path.join(env.work, "built-tokens"), os.path.join(env.work, "merged-tokens"),
              "window tokens:5")
    # a partial may not replace a document it counts
    before_a = open(os.path.join(env.work, "docs", "a.txt"), "rb").read()
    err = env.nergraph("count", *d, "--out", "docs/a.txt", "docs", expect=2).stderr.decode()
    if "docs/a.txt: the output is a document being counted" not in err or \
            open(os.path.join(env.work, "docs", "a.txt"), "rb").read() != before_a:
        fail("count --out an input: %r" % err)
    # a device is written, not replaced by a renamed file
    env.nergraph("count", *d, "--out", "/dev/null", "docs/a.txt")
    if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
        fail("count --out /dev/null replaced the device")
    print("%d kinds of bad partials and inputs: exit 1 or 2 with file and offset; out/ "
          "untouched" % (len(cases) + len(checks) + 5))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("splits", "parallel", "streaming", "errors"))
    ap.add_argument("--cli", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    env = Env(os.path.abspath(a.cli), os.path.abspath(a.src), os.path.abspath(a.work))
    {"splits": check_splits, "parallel": check_parallel, "streaming": check_streaming,
     "errors": check_errors}[a.mode](env)


if __name__ == "__main__":
    main()
