#!/usr/bin/python3
"""Real clients read what nergraph writes.

Runs `nergraph build` on the bundled corpus, then checks that
- every mention slices back to its surface in the original file, inside its sentence;
- networkx and python-igraph read the GraphML without a warning and see the
  same nodes, edges and weights;
- the GraphML validates against the GraphML schema (xmllint, if the schemas are there);
- Graphviz renders the DOT;
- `nergraph report` on the GraphML prints report.txt again;
- igraph's measures in the GraphML agree with networkx's.
Exits 77 (skipped) when a client is missing, 1 on any failure.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import warnings

SKIP = 77


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check_measures(nx, path, names):
    G = nx.read_graphml(path)
    for _, _, d in G.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    nodes = list(G.nodes())
    k = len(nodes)
    reference = {
        "degree": lambda: dict(G.degree()),
        "strength": lambda: dict(G.degree(weight="weight")),
        "betweenness": lambda: nx.betweenness_centrality(G, weight="distance", normalized=False),
        "harmonic": lambda: {v: x / (k - 1) for v, x in
                             nx.harmonic_centrality(G, distance="distance").items()},
        "pagerank": lambda: nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10000),
        "kcore": lambda: nx.core_number(G),
        "clustering": lambda: nx.clustering(G),
    }
    for name in names:
        ref = reference[name]()
        tol = 1e-9
        for v in nodes:
            ours = G.nodes[v][name]
            if not math.isclose(ours, ref[v], rel_tol=tol, abs_tol=tol):
                fail("%s: %s of %s: igraph %r, networkx %r"
                     % (path, name, G.nodes[v]["label"], ours, ref[v]))
    print("ok: %s agree with networkx on %s" % (", ".join(names), os.path.basename(os.path.dirname(path))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    try:
        import networkx as nx
        import igraph
    except ImportError as e:
        print("SKIP: needs Debian's python3-networkx and python3-igraph:", e)
        sys.exit(SKIP)

    out = os.path.join(a.work, "out")
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    subprocess.run([a.cli, "build", "--out", out], cwd=a.src, check=True)

    # Mentions slice back to their surface, inside their sentence.
    n = 0
    cache = {}
    with open(os.path.join(out, "mentions.jsonl"), encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            for field in ("doc", "start", "end", "type", "entity", "label", "surface", "sentence"):
                if field not in m:
                    fail("mention without %r: %s" % (field, line))
            if m["doc"] not in cache:
                with open(os.path.join(a.src, m["doc"]), "rb") as d:
                    cache[m["doc"]] = d.read()
            raw = cache[m["doc"]]
            if raw[m["start"]:m["end"]].decode("utf-8") != m["surface"]:
                fail("mention does not slice back: %s" % line)
            s, t = m["sentence"]
            if not (s <= m["start"] < m["end"] <= t):
                fail("mention outside its sentence: %s" % line)
            if m["type"] not in ("person", "state", "organization", "place"):
                fail("bad type: %s" % line)
            n += 1
    if n == 0:
        fail("no mentions")
    print("ok: %d mentions slice back to their surface" % n)

    # Documents decoded from legacy encodings slice back too: the bytes at the
    # offsets, decoded, are the surface.
    legacy = os.path.join(a.src, "tests", "golden", "legacy")
    codecs = {"cp1251": "cp1251", "koi8r": "koi8_r", "rk1048": "kz1048",
              "utf16le-nobom": "utf-16-le", "iso8859-9": "iso8859_9"}
    checked = 0
    with open(os.path.join(legacy, "expected", "mentions.jsonl"), encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            name = os.path.basename(m["doc"]).split(".")[0].split("-", 1)[1]
            with open(os.path.join(legacy, m["doc"]), "rb") as d:
                raw = d.read()
            if raw[m["start"]:m["end"]].decode(codecs[name]) != m["surface"]:
                fail("legacy mention does not slice back: %s" % line)
            checked += 1
    print("ok: %d mentions in CP1251, KOI8-R, RK1048, UTF-16 and ISO-8859-9 slice back" % checked)

    # Evidence: every line's window lies in its document, and an edge's count
    # is the number of windows the evidence gives for its pair.
    from collections import Counter
    windows = Counter()
    with open(os.path.join(out, "evidence.jsonl"), encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            raw = cache[ev["doc"]]
            s, t = ev["window"]
            keys = ev["entities"]
            if not (0 <= s < t <= len(raw)) or len(keys) < 2 or keys != sorted(set(keys)) \
                    or ev["line"] < 1:
                fail("bad evidence line: %s" % line)
            if raw[:s].count(b"\n") + 1 != ev["line"]:
                fail("evidence line number is wrong: %s" % line)
            if " ".join(raw[s:t].decode("utf-8").split())[:40] != ev["snippet"][:40]:
                fail("evidence snippet is not the window's text: %s" % line)
            for i, x in enumerate(keys):
                for y in keys[i + 1:]:
                    windows[(x, y)] += 1
    print("ok: evidence windows slice back to the text (%d pair occurrences)"
          % sum(windows.values()))

    graphml = os.path.join(out, "graph.graphml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        G = nx.read_graphml(graphml)
        H = igraph.Graph.Read_GraphML(graphml)
    if G.number_of_nodes() != H.vcount() or G.number_of_edges() != H.ecount():
        fail("networkx and igraph disagree on counts")
    if G.number_of_edges() == 0:
        fail("no edges")
    for u, v, d in G.edges(data=True):
        if not d["weight"] > 0:
            fail("edge weight %r" % d)
    wn = sorted(d["weight"] for _, _, d in G.edges(data=True))
    wi = sorted(H.es["weight"])
    if wn != wi:
        fail("weights differ between networkx and igraph")
    for _, d in G.nodes(data=True):
        for attr in ("key", "label", "category", "mentions", "documents", "size", "r", "g", "b"):
            if attr not in d:
                fail("node without %s: %r" % (attr, d))
    print("ok: networkx and python-igraph read %d nodes, %d edges" % (H.vcount(), H.ecount()))
    for u, v, d in G.edges(data=True):
        pair = tuple(sorted((G.nodes[u]["key"], G.nodes[v]["key"])))
        if windows[pair] != d["count"]:
            fail("edge %s-%s: count %r, evidence %d" % (pair + (d["count"], windows[pair])))
    print("ok: every edge's count is the number of its evidence windows")

    xsd = os.path.join(a.shared, "schemas", "graphml", "graphml.xsd")
    if shutil.which("xmllint") and os.path.exists(xsd):
        import glob
        graphmls = [graphml, os.path.join(out, "two-mode.graphml")] + sorted(
            glob.glob(os.path.join(a.src, "tests", "golden", "*", "expected", "*.graphml")))
        r = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", xsd] + graphmls,
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail("GraphML does not validate: " + r.stderr[-2000:])
        print("ok: %d GraphML files (bundled and golden) validate against the schema"
              % len(graphmls))
    else:
        print("note: schema check not run (xmllint or %s missing)" % xsd)

    rng = os.path.join(a.shared, "schemas", "gexf-1.3", "gexf.rng")
    if shutil.which("xmllint") and os.path.exists(rng):
        import glob
        files = sorted(glob.glob(os.path.join(a.src, "tests", "golden", "*", "expected", "graph.gexf")))
        r = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", rng] + files,
                           capture_output=True, text=True)
        if r.returncode != 0 or not files:
            fail("golden GEXF files do not validate: " + r.stderr[-2000:])
        print("ok: %d golden GEXF files (one dynamic) validate against GEXF 1.3" % len(files))

    if shutil.which("dot"):
        r = subprocess.run(["dot", "-Tsvg", os.path.join(out, "graph.dot")], capture_output=True)
        if r.returncode != 0 or r.stdout.count(b'class="node"') != H.vcount():
            fail("Graphviz did not render the DOT: " + r.stderr.decode()[-2000:])
        print("ok: dot -Tsvg renders %d nodes" % H.vcount())
    else:
        print("note: Graphviz not installed")

    r = subprocess.run([a.cli, "report", graphml], capture_output=True)
    with open(os.path.join(out, "report.txt"), "rb") as f:
        if r.returncode != 0 or r.stdout != f.read():
            fail("nergraph report on the GraphML differs from report.txt")
    print("ok: nergraph report reproduces report.txt")

    # igraph's measures (stored on the nodes) against networkx's: all of them
    # on the golden graph; on the bundled one not betweenness, where equal
    # path lengths made of different 1/w sums tie in igraph (which compares
    # lengths with a tolerance) but not in networkx (which compares exactly).
    two = os.path.join(a.src, "tests", "golden", "tiny-paragraph", "expected", "two-mode.graphml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        B = nx.read_graphml(two)
    parts = {d["part"] for _, d in B.nodes(data=True)}
    if parts != {"actor", "document"} or not nx.is_bipartite(B):
        fail("two-mode network is not actor x document: %r" % parts)
    for u, v, d in B.edges(data=True):
        if B.nodes[u]["part"] == B.nodes[v]["part"] or not d["weight"] >= 1:
            fail("two-mode edge %s-%s" % (u, v))
    print("ok: two-mode network is bipartite (%d nodes, %d edges)" % (B.number_of_nodes(),
                                                                      B.number_of_edges()))

    tiny = os.path.join(a.src, "tests", "golden", "tiny", "expected", "graph.graphml")
    check_measures(nx, tiny, ("degree", "strength", "betweenness", "harmonic", "pagerank",
                              "kcore", "clustering"))
    check_measures(nx, graphml, ("degree", "strength", "harmonic", "pagerank", "kcore",
                                 "clustering"))
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
