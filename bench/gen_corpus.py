#!/usr/bin/python3
"""Build a benchmark corpus: the seed documents repeated to a given size.

usage: gen_corpus.py SEED_DIR OUT_DIR MEGABYTES

Writes OUT_DIR/*.txt, files of 0.5 to 2 MB (1 MB = 1,000,000 bytes), each the
concatenation of whole copies of seed documents (drawn at random, each seed
equally often, copies separated by a blank line), under varied names
(NNNNN_<lang of the first copy>_<hex>.txt), until the corpus holds at least
MEGABYTES MB (it overshoots by less than one seed document). The seeds are
English, Kazakh, Turkish and Russian, so every file mixes them. Seeded: the
same seeds give the same bytes. A directory whose stamp (OUT_DIR.stamp)
matches is reused.
"""
import hashlib
import os
import random
import shutil
import sys

VERSION = "gen_corpus 1"
MB = 1000 * 1000


def lang_of(text):
    cyr = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    kk = sum(1 for c in text if c in "әғқңөұүһіӘҒҚҢӨҰҮҺІ")
    tr = sum(1 for c in text if c in "ğışĞİŞ")
    lat = sum(1 for c in text if c.isascii() and c.isalpha())
    if cyr > lat:
        return "kk" if kk * 50 > cyr else "ru"
    return "tr" if tr * 100 > lat else "en"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    seed_dir, out, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    target = int(mb * MB)
    seeds = []
    h = hashlib.sha256(f"{VERSION} {target}".encode())
    for name in sorted(os.listdir(seed_dir)):
        path = os.path.join(seed_dir, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        h.update(name.encode() + hashlib.sha256(data).digest())
        seeds.append((data, lang_of(data.decode("utf-8", "replace"))))
    if not seeds:
        sys.exit(f"gen_corpus: no seed documents in {seed_dir}")
    h.update(open(__file__, "rb").read())
    stamp = h.hexdigest()
    sp = out.rstrip("/") + ".stamp"  # beside the corpus: grep -r reads dot files
    if os.path.exists(sp) and open(sp).read() == stamp:
        print(f"corpus {out}: up to date")
        return
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    r = random.Random(target)
    total, files, n = 0, 0, 0
    while total < target:
        want = min(int(r.uniform(0.5, 2.0) * MB), max(target - total, 1))
        parts, size, first = [], 0, None
        while size < want:
            data, lang = seeds[r.randrange(len(seeds))]
            first = first or lang
            if parts:
                parts.append(b"\n\n")
                size += 2
            parts.append(data)
            size += len(data)
        files += 1
        name = f"{files:05d}_{first}_{r.getrandbits(48):012x}.txt"
        with open(os.path.join(out, name), "wb") as f:
            f.writelines(parts)
        total += size
        n += len(parts) // 2 + 1
    with open(sp, "w") as f:
        f.write(stamp)
    print(f"corpus {out}: {total} bytes ({total / MB:.1f} MB) in {files} files, {n} seed copies")


if __name__ == "__main__":
    main()
