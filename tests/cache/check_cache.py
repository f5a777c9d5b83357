#!/usr/bin/python3
"""The compiled cache changes nothing: with a dictionary past the cache's
threshold (the bundled one plus 25,000 generated aliases), `tag`, `build`,
`count`, `explain` and `dict coverage` print and write the same bytes with no
cache, with a cold one (images written), a warm one (images used, not
rewritten), after a dictionary file changed (images rewritten) and with
damaged images (rebuilt)."""
import argparse
import glob
import os
import random
import shutil
import subprocess
import sys


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def generated_dictionary(path, seed):
    """25,000 entities with a Latin and a Kazakh alias each."""
    rnd = random.Random(seed)
    latin = ["ka", "ba", "stan", "ov", "ar", "mir", "zhan", "tur"]
    cyrillic = ["қа", "ба", "стан", "ов", "ар", "мір", "жан", "тұр"]
    entities = []
    for i in range(12500):
        n = rnd.randint(2, 5)
        picks = [rnd.randrange(len(latin)) for _ in range(n)]
        en = "".join(latin[k] for k in picks).capitalize() + " Gen%d" % i
        kk = "".join(cyrillic[k] for k in picks).capitalize() + " Ген%d" % i
        entities.append('{"key": "gen-%05d", "label": "%s", "category": "place", "aliases": '
                        '[{"text": "%s", "lang": "en"}, {"text": "%s", "lang": "kk"}]}'
                        % (i, en, en, kk))
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"nergraph_dictionary": 1, "entities": [\n' + ",\n".join(entities) + "\n]}\n")


def outputs(cli, src, work, dict_dir, cache, tag):
    """Everything the commands print and write, as {name: bytes}."""
    env = dict(os.environ, LC_ALL="C", NERGRAPH_CACHE_DIR=cache)
    corpus = os.path.join(src, "corpus")
    out = {}

    def run(args, name):
        p = subprocess.run([cli] + args, cwd=src, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if p.returncode != 0:
            fail("%s (%s): exit %d\n%s" % (" ".join(args), tag, p.returncode,
                                          p.stderr.decode(errors="replace")))
        out[name] = p.stdout
        out[name + ".stderr"] = p.stderr

    run(["tag", "--quiet", "--dict", dict_dir, corpus], "tag")
    build_dir = os.path.join(work, "out-" + tag)
    shutil.rmtree(build_dir, ignore_errors=True)
    run(["build", "--quiet", "--dict", dict_dir, "--out", build_dir, corpus], "build")
    for n in sorted(os.listdir(build_dir)):
        with open(os.path.join(build_dir, n), "rb") as f:
            out["build/" + n] = f.read()
    partial = os.path.join(work, "partial-%s.tsv" % tag)
    run(["count", "--dict", dict_dir, "--out", partial, corpus], "count")
    with open(partial, "rb") as f:
        out["count"] = f.read()
    run(["explain", "--limit", "0", "--dict", dict_dir, "Kazakhstan", "Russia", corpus],
        "explain")
    run(["dict", "coverage", "--dict", dict_dir, corpus], "coverage")
    return out


def same(want, got, what):
    if sorted(want) != sorted(got):
        fail("%s: outputs %s, expected %s" % (what, sorted(got), sorted(want)))
    for k in want:
        if want[k] != got[k]:
            fail("%s: %s differs from the run without a cache" % (what, k))
    print("ok   %s: %d outputs byte for byte" % (what, len(want)))


def images(cache):
    return {p: os.stat(p).st_mtime_ns for p in glob.glob(os.path.join(cache, "*.img"))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    dict_dir = os.path.join(a.work, "dict")
    shutil.copytree(os.path.join(a.src, "dictionaries"), dict_dir)
    generated = os.path.join(dict_dir, "zz-generated.json")
    generated_dictionary(generated, 1)
    cache = os.path.join(a.work, "cache")

    want = outputs(a.cli, a.src, a.work, dict_dir, "", "off")
    if os.path.exists(cache):
        fail("the cache directory was written with NERGRAPH_CACHE_DIR empty")
    same(want, outputs(a.cli, a.src, a.work, dict_dir, cache, "cold"), "cold cache")
    stored = images(cache)
    if sorted(os.path.basename(p).split("-")[0] for p in stored) != ["dict", "matcher"]:
        fail("images after a cold start: %s" % sorted(stored))
    same(want, outputs(a.cli, a.src, a.work, dict_dir, cache, "warm"), "warm cache")
    if images(cache) != stored:
        fail("a warm start rewrote an image")

    # a dictionary file changed: images rewritten, outputs those of the new files
    generated_dictionary(generated, 2)
    want = outputs(a.cli, a.src, a.work, dict_dir, "", "off2")
    same(want, outputs(a.cli, a.src, a.work, dict_dir, cache, "stale"), "changed dictionary")
    rewritten = images(cache)
    if any(rewritten[p] == stored[p] for p in stored):
        fail("a changed dictionary left an image as it was")
    same(want, outputs(a.cli, a.src, a.work, dict_dir, cache, "warm2"), "warm cache again")

    # damaged images: a byte flipped in the middle of each
    rewritten = images(cache)
    for p in rewritten:
        with open(p, "r+b") as f:
            f.seek(os.path.getsize(p) // 2)
            b = f.read(1)
            f.seek(-1, 1)
            f.write(bytes([b[0] ^ 0x10]))
    same(want, outputs(a.cli, a.src, a.work, dict_dir, cache, "damaged"), "damaged images")
    if any(images(cache)[p] == rewritten[p] for p in rewritten):
        fail("a damaged image was not rebuilt")
    same(want, outputs(a.cli, a.src, a.work, dict_dir, cache, "repaired"), "repaired images")
    shutil.rmtree(a.work, ignore_errors=True)


if __name__ == "__main__":
    main()
