#!/usr/bin/python3
"""Build the benchmark dictionaries: a 2k-alias and a 200k-alias directory.

usage: gen_dicts.py SRC_DICT_DIR CORPUS_DIR OUT_DIR [NAME:ALIASES ...]

Each NAME:ALIASES (default 2k:2000 200k:200000) becomes OUT_DIR/dict-NAME/,
holding *.json files in the format of docs/dictionaries.md, a copy of
SRC_DICT_DIR/suffixes/, and aliases.txt (one alias text per line, for rg and
grep).

- A size not above the real alias count is a subset of the real entities:
  the entities named most often in the seed corpus first (a crude
  case-insensitive substring count), the last one cut to fit, so the subset
  finds nearly everything the full dictionaries find.
- A larger size is every real entity plus generated name-like entities
  (people, organizations, places; Latin in English/Kazakh/Turkish spelling and
  Cyrillic in Kazakh/Russian spelling, built from syllables; every alias has
  at least two words), split into files of about 25,000 aliases. Keys and
  alias texts are unique. Generation is seeded: the same input gives the same
  bytes.

A directory whose stamp matches the inputs is left as it is.
"""
import glob
import hashlib
import json
import os
import random
import shutil
import sys

VERSION = "gen_dicts 1"
PER_FILE = 25000

# --- real dictionaries -------------------------------------------------------


def load_real(src):
    files = []
    for path in sorted(glob.glob(os.path.join(src, "*.json"))):
        with open(path, encoding="utf-8") as f:
            files.append((os.path.basename(path), json.load(f)))
    return files


def alias_count(files):
    return sum(len(e["aliases"]) for _, d in files for e in d["entities"])


def corpus_text(corpus):
    parts = []
    for root, _, names in os.walk(corpus):
        for n in sorted(names):
            with open(os.path.join(root, n), encoding="utf-8", errors="replace") as f:
                parts.append(f.read())
    return "\n".join(parts).casefold()


def subset(files, corpus, total):
    """Whole real entities, most often named in the corpus first, cut to `total` aliases."""
    text = corpus_text(corpus)
    ranked = []
    for fi, (_, d) in enumerate(files):
        for ei, e in enumerate(d["entities"]):
            score = sum(text.count(a["text"].casefold()) for a in e["aliases"])
            ranked.append((-score, e["key"], fi, ei))
    ranked.sort()
    keep = {}  # (fi, ei) -> number of aliases kept
    left = total
    for _, _, fi, ei in ranked:
        if left == 0:
            break
        n = min(left, len(files[fi][1]["entities"][ei]["aliases"]))
        keep[(fi, ei)] = n
        left -= n
    out = []
    for fi, (name, d) in enumerate(files):
        ents = []
        for ei, e in enumerate(d["entities"]):
            if (fi, ei) in keep:
                e = dict(e)
                e["aliases"] = e["aliases"][: keep[(fi, ei)]]
                ents.append(e)
        if ents:
            nd = dict(d)
            nd["entities"] = ents
            out.append((name, nd))
    return out


# --- generated names ---------------------------------------------------------

# phoneme -> (English/ASCII Latin, Turkish Latin, Kazakh Latin, Cyrillic)
CONS = {
    "b": ("b", "b", "b", "б"), "d": ("d", "d", "d", "д"), "g": ("g", "g", "g", "г"),
    "zh": ("zh", "j", "j", "ж"), "z": ("z", "z", "z", "з"), "k": ("k", "k", "k", "к"),
    "q": ("q", "k", "q", "қ"), "l": ("l", "l", "l", "л"), "m": ("m", "m", "m", "м"),
    "n": ("n", "n", "n", "н"), "r": ("r", "r", "r", "р"), "s": ("s", "s", "s", "с"),
    "t": ("t", "t", "t", "т"), "sh": ("sh", "ş", "ş", "ш"), "ch": ("ch", "ç", "ch", "ч"),
    "kh": ("kh", "h", "h", "х"), "v": ("v", "v", "v", "в"), "p": ("p", "p", "p", "п"),
    "gh": ("gh", "ğ", "ğ", "ғ"), "ng": ("ng", "n", "ñ", "ң"), "y": ("y", "y", "i", "й"),
}
VOWELS = {
    "a": ("a", "a", "a", "а"), "e": ("e", "e", "e", "е"), "i": ("i", "i", "i", "и"),
    "o": ("o", "o", "o", "о"), "u": ("u", "u", "u", "у"), "ae": ("a", "e", "ä", "ә"),
    "oe": ("o", "ö", "ö", "ө"), "ue": ("u", "ü", "ü", "ү"), "y": ("y", "ı", "y", "ы"),
    "uu": ("u", "u", "ū", "ұ"), "ii": ("i", "i", "ı", "і"),
}
ONSETS = ["", "", "b", "d", "g", "zh", "z", "k", "q", "l", "m", "n", "r", "s", "t", "sh",
          "ch", "kh", "v", "p", "gh", "b", "t", "s", "m", "n", "k", "d", "r", "l"]
NUCLEI = ["a", "a", "a", "e", "e", "i", "i", "o", "u", "u", "ae", "oe", "ue", "y", "uu", "ii"]
CODAS = ["", "", "", "n", "r", "l", "t", "k", "s", "m", "sh", "ng", "y", "z", "q", "b", "d"]
# style index into the tuples above, and the alias lang it gets
STYLES = [(0, "en"), (1, "tr"), (2, "kk")]
CYR = 3

SURNAME_SUFFIX = [  # (ascii, turkish, kazakh latin, cyrillic)
    ("ov", "ov", "ov", "ов"), ("ev", "ev", "ev", "ев"), ("ova", "ova", "ova", "ова"),
    ("eva", "eva", "eva", "ева"), ("bayev", "bayev", "baev", "баев"), ("uly", "oğlu", "uly", "ұлы"),
    ("qyzy", "kızı", "qyzy", "қызы"), ("in", "in", "in", "ин"), ("enko", "enko", "enko", "енко"),
    ("bekov", "bekov", "bekov", "беков"), ("", "", "", ""),
]
ORG_WORDS = [  # Latin after the name, Kazakh after the name, Russian before the name
    ("Holding", "холдингі", "Холдинг"), ("Foundation", "қоры", "Фонд"),
    ("University", "университеті", "Университет"), ("Institute", "институты", "Институт"),
    ("Bank", "банкі", "Банк"), ("Group", "тобы", "Группа"), ("Party", "партиясы", "Партия"),
    ("Association", "қауымдастығы", "Ассоциация"), ("Agency", "агенттігі", "Агентство"),
    ("Trade Union", "кәсіподағы", "Профсоюз"), ("Company", "компаниясы", "Компания"),
    ("Cultural Centre", "мәдени орталығы", "Культурный центр"),
]
TR_ORG = ["Vakfı", "Holding", "Üniversitesi", "Enstitüsü", "Bankası", "Partisi", "Derneği"]
PLACE_WORDS = [  # English, Kazakh, Russian, Turkish
    ("District", "ауданы", "район", "İlçesi"), ("Region", "облысы", "область", "Bölgesi"),
    ("Lake", "көлі", "озеро", "Gölü"), ("River", "өзені", "река", "Nehri"),
    ("Valley", "алқабы", "долина", "Vadisi"), ("Village", "ауылы", "село", "Köyü"),
]


def cap(s, style):
    if not s:
        return s
    if style == 1 and s[0] == "i":
        return "İ" + s[1:]
    if style == 1 and s[0] == "ı":
        return "I" + s[1:]
    return s[0].upper() + s[1:]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def word(self, nsyl):
        """A word as phonemes: [(onset, nucleus, coda), ...]."""
        r = self.r
        out = []
        for i in range(nsyl):
            if i == 0:
                onset = r.choice(ONSETS) if r.random() < 0.7 else ""
            else:  # no two vowels in a row
                onset = r.choice([o for o in ONSETS if o] if not out[-1][2] else ONSETS)
            out.append((onset, r.choice(NUCLEI), r.choice(CODAS)))
        return out

    @staticmethod
    def spell(word, style):
        out = []
        for o, n, c in word:
            out.append((CONS[o][style] if o else "") + VOWELS[n][style] + (CONS[c][style] if c else ""))
        return "".join(out)

    def name(self, word, style):
        return cap(self.spell(word, style), style)

    def person(self):
        r = self.r
        first = self.word(r.choice([2, 2, 3]))
        stem = self.word(r.choice([1, 2, 2]))
        suf = r.choice(SURNAME_SUFFIX)
        style, lang = r.choice(STYLES)
        fl, sl = self.name(first, style), self.name(stem, style) + suf[style]
        fc, sc = self.name(first, CYR), self.name(stem, CYR) + suf[CYR]
        al = [(f"{fl} {sl}", lang), (f"{fc} {sc}", "kk" if suf[CYR] in ("ұлы", "қызы") else "ru")]
        if r.random() < 0.6:
            al.append((f"{fl[0]}. {sl}", lang))
        if r.random() < 0.5:
            al.append((f"{sc} {fc}", "ru"))
        if r.random() < 0.3:
            mid = self.name(self.word(2), CYR) + r.choice(["ович", "евич", "овна", "евна"])
            al.append((f"{fc} {mid} {sc}", "ru"))
        if r.random() < 0.3 and style != 0:
            al.append((f"{self.name(first, 0)} {self.name(stem, 0)}{suf[0]}", "en"))
        return "person", f"{fl} {sl}", al

    def organization(self):
        r = self.r
        w = self.word(r.choice([2, 3]))
        en, kk, ru = r.choice(ORG_WORDS)
        style, lang = r.choice(STYLES)
        nl, nc = self.name(w, style), self.name(w, CYR)
        if r.random() < 0.3:
            w2 = self.word(2)
            nl, nc = f"{nl} {self.name(w2, style)}", f"{nc} {self.name(w2, CYR)}"
        label = f"{nl} {en}"
        al = [(label, "en"), (f"{nc} {kk}", "kk"), (f"{ru} {nc}", "ru")]
        if style == 1 or r.random() < 0.2:
            al.append((f"{self.name(w, 1)} {r.choice(TR_ORG)}", "tr"))
        if r.random() < 0.4:
            al.append((f"{en} of {nl}", "en"))
        return "organization", label, al

    def place(self):
        r = self.r
        w = self.word(r.choice([2, 3]))
        en, kk, ru, tr = r.choice(PLACE_WORDS)
        style, lang = r.choice(STYLES)
        nl, nc = self.name(w, style), self.name(w, CYR)
        label = f"{en} {nl}" if en in ("Lake", "River") else f"{nl} {en}"
        al = [(label, "en"), (f"{nc} {kk}", "kk"), (f"{nc} {ru}", "ru")]
        if r.random() < 0.4:
            al.append((f"{self.name(w, 1)} {tr}", "tr"))
        return "place", label, al


def generated(count, seed, taken):
    """`count` aliases in generated entities; `taken` holds casefolded alias texts in use."""
    g = Gen(seed)
    ents, n, i = [], 0, 0
    kinds = [g.person] * 60 + [g.organization] * 25 + [g.place] * 15
    while n < count:
        cat, label, al = g.r.choice(kinds)()
        aliases = []
        for text, lang in al:
            k = " ".join(text.casefold().split())
            if k in taken or len(text.encode()) > 200:
                continue
            taken.add(k)
            aliases.append({"text": text, "lang": lang})
        aliases = aliases[: count - n]
        if not aliases:
            continue
        i += 1
        ents.append({"key": f"gen-{cat}-{i:06d}", "label": label, "category": cat,
                     "aliases": aliases})
        n += len(aliases)
    return ents


# --- output ------------------------------------------------------------------


def write_dir(out, files, suffixes):
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with open(os.path.join(tmp, "aliases.txt"), "w", encoding="utf-8") as at:
        for name, d in files:
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                json.dump(d, f, ensure_ascii=False, indent=1)
                f.write("\n")
            for e in d["entities"]:
                for a in e["aliases"]:
                    at.write(a["text"] + "\n")
    if os.path.isdir(suffixes):
        shutil.copytree(suffixes, os.path.join(tmp, "suffixes"))
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)


def stamp_of(src, corpus, total):
    h = hashlib.sha256(VERSION.encode() + str(total).encode())
    for path in sorted(glob.glob(os.path.join(src, "*.json")) + glob.glob(os.path.join(src, "suffixes", "*"))
                       + [os.path.join(r, n) for r, _, ns in os.walk(corpus) for n in ns]):
        h.update(path.encode())
        with open(path, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    h.update(open(__file__, "rb").read())
    return h.hexdigest()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    src, corpus, outdir = sys.argv[1:4]
    sizes = sys.argv[4:] or ["2k:2000", "200k:200000"]
    real = load_real(src)
    nreal = alias_count(real)
    for spec in sizes:
        name, total = spec.split(":")
        total = int(total)
        out = os.path.join(outdir, "dict-" + name)
        stamp = stamp_of(src, corpus, total)
        sp = os.path.join(out, ".stamp")
        if os.path.exists(sp) and open(sp).read() == stamp:
            print(f"dictionary {name}: {out} (up to date)")
            continue
        if total <= nreal:
            files = subset(real, corpus, total)
        else:
            taken = {" ".join(a["text"].casefold().split())
                     for _, d in real for e in d["entities"] for a in e["aliases"]}
            ents = generated(total - nreal, 20240917 + total, taken)
            files = list(real)
            chunk, part, n = [], 0, 0
            for e in ents:
                chunk.append(e)
                n += len(e["aliases"])
                if n >= PER_FILE:
                    part += 1
                    files.append((f"zz-generated-{part:02d}.json", {"nergraph_dictionary": 1, "entities": chunk}))
                    chunk, n = [], 0
            if chunk:
                part += 1
                files.append((f"zz-generated-{part:02d}.json", {"nergraph_dictionary": 1, "entities": chunk}))
        write_dir(out, files, os.path.join(src, "suffixes"))
        with open(sp, "w") as f:
            f.write(stamp)
        got = alias_count(files)
        print(f"dictionary {name}: {out}: {got} aliases in {sum(len(d['entities']) for _, d in files)} "
              f"entities, {len(files)} files")
        if got != total:
            sys.exit(f"gen_dicts: {name}: wrote {got} aliases, wanted {total}")


if __name__ == "__main__":
    main()
