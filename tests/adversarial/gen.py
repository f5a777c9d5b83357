#!/usr/bin/env python3
"""Adversarial inputs for nergraph, written at test time (never committed).

    gen.py dict ALIASES DIR         DIR/d.json: ALIASES aliases, 1000 per entity
    gen.py line MEGABYTES FILE      one line of MEGABYTES MiB naming two states
    gen.py window ENTITIES DIR      DIR/dict/d.json with ENTITIES entities and
                                    DIR/corpus/a.txt: one sentence naming them all

Names are made of letters only ("Zqab"; in the big dictionary, random Latin
and Cyrillic letters before that, so that the automaton has many states and
byte classes), so that every one is a word the matcher accepts; entity keys
("e000042") sort as the numbers do. Output depends only on the arguments.
"""
import itertools
import json
import os
import random
import sys

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Latin and Cyrillic, so that the matcher sees many byte classes
MIXED = LETTERS + "абвгдежзийклмнопрстуфхцчшщыэюяәғқңөұүһі"


def name(i, width):
    """A capitalised word unique for i < 26**width."""
    s = []
    for _ in range(width):
        s.append(LETTERS[i % 26])
        i //= 26
    return "Zq" + "".join(reversed(s))


def entity(i, aliases):
    return {"key": "e%06d" % i, "label": aliases[0], "category": "state",
            "aliases": [{"text": a, "lang": "en"} for a in aliases]}


def write_dict(path, entities):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"nergraph_dictionary": 1, "entities": entities}, ensure_ascii=False))
        f.write("\n")


def gen_dict(count, out):
    """Random Latin and Cyrillic heads (4 to 8 letters, few shared prefixes)
    before a unique 5-letter suffix; the JSON is written as text (names are
    letters only, nothing to escape), which is several times faster. Returns
    the aliases, entity e holding aliases[1000 e, 1000 (e + 1))."""
    per = 1000  # NG_MAX_ALIASES_PER_ENTITY
    rng = random.Random(42)
    lengths = [4 + b % 5 for b in rng.randbytes(count)]
    table = [MIXED[b % len(MIXED)] for b in range(256)]
    letters = "".join(map(table.__getitem__, rng.randbytes(sum(lengths))))
    names, pos = [], 0
    for n, suffix in zip(lengths, itertools.product(LETTERS, repeat=5)):
        names.append((letters[pos:pos + n] + "".join(suffix)).capitalize())
        pos += n
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "d.json"), "w", encoding="utf-8") as f:
        f.write('{"nergraph_dictionary": 1, "entities": [\n')
        for e in range((count + per - 1) // per):
            chunk = names[e * per:(e + 1) * per]
            f.write('%s{"key": "e%06d", "label": "%s", "category": "state", "aliases": [%s]}\n' % (
                "," if e else "", e, chunk[0],
                ", ".join('{"text": "%s", "lang": "en"}' % a for a in chunk)))
        f.write("]}\n")
    return names


def gen_line(megabytes, out):
    filler = ("the delegation spoke at length about trade, roads and water; "
              "делегация говорила о торговле, дорогах и воде; ")
    chunk = (filler * ((1 << 20) // len(filler) + 1)).encode("utf-8")[: 1 << 20]
    chunk = chunk.decode("utf-8", "ignore").encode("utf-8")  # whole characters
    with open(out, "wb") as f:
        f.write(b"Kazakhstan and ")
        for _ in range(megabytes):
            f.write(chunk)
        f.write(b" China met.")  # no newline anywhere


def gen_window(count, out):
    names = [name(i, 3) for i in range(count)]
    write_dict(os.path.join(out, "dict", "d.json"),
               [entity(i, [names[i]]) for i in range(count)])
    os.makedirs(os.path.join(out, "corpus"), exist_ok=True)
    with open(os.path.join(out, "corpus", "a.txt"), "w", encoding="utf-8") as f:
        f.write(", ".join(names) + " met.\n")


if __name__ == "__main__":
    kinds = {"dict": gen_dict, "line": gen_line, "window": gen_window}
    if len(sys.argv) != 4 or sys.argv[1] not in kinds:
        sys.exit(__doc__)
    kinds[sys.argv[1]](int(sys.argv[2]), sys.argv[3])
