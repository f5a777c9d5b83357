#!/usr/bin/python3
"""The GEXF, JSON and CSV exports describe the graph the GraphML describes.

Runs `nergraph build` on the bundled corpus (or, with --dir, reads a folder
already written), then checks that
- graph.gexf validates against the GEXF 1.3 RELAX NG schema (xmllint, if the
  schema is there) and parses: node ids = keys, labels, typed attribute
  values, viz colour and size, edges with weights;
- graph.json is graphology's serialisation format (options, nodes with key
  and attributes, no `type` attribute, edges with source/target/weight);
- nodes.csv and edges.csv read with Python's csv module: Gephi's headers, one
  record per node and edge, every quoted field back as written;
- all four files (and graph.graphml, read by networkx) agree on the nodes,
  labels, categories, measures, edges and weights;
- no number is in exponent form.
Exits 77 (skipped) when networkx is missing, 1 on any failure.
"""
import argparse
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET

SKIP = 77
GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
EXPONENT = re.compile(r"(?:^|[\",=:\s])-?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]+(?=[\",}\]\s]|$)",
                      re.MULTILINE)
# At least these; every measure the GraphML has is compared.
MEASURES = ("degree", "strength", "betweenness", "harmonic", "eigenvector", "pagerank",
            "community")


def numeric_columns(nodes):
    """Node attributes that are numbers on every node of the GraphML."""
    names = None
    for d in nodes.values():
        here = {k for k, x in d.items() if isinstance(x, (int, float)) and not isinstance(x, bool)}
        names = here if names is None else names & here
    return sorted((names or set()) - {"size", "r", "g", "b", "x", "y", "z"})


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


def read_graphml(nx, path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        G = nx.read_graphml(path)
    nodes = {d["key"]: d for _, d in G.nodes(data=True)}
    edges = {}
    for u, v, d in G.edges(data=True):
        pair = tuple(sorted((G.nodes[u]["key"], G.nodes[v]["key"])))
        edges[pair] = d
    return nodes, edges


def check_gexf(path, shared, nodes, edges, cols):
    rng = os.path.join(shared, "schemas", "gexf-1.3", "gexf.rng")
    if shutil.which("xmllint") and os.path.exists(rng):
        r = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", rng, path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail("GEXF does not validate: " + r.stderr[-2000:])
        print("ok: GEXF validates against the 1.3 RELAX NG schema")
    else:
        print("note: GEXF schema check not run (xmllint or %s missing)" % rng)
    root = ET.parse(path).getroot()
    if root.tag != GEXF + "gexf" or root.get("version") != "1.3":
        fail("not GEXF 1.3: %s %r" % (root.tag, root.attrib))
    graph = root.find(GEXF + "graph")
    if graph.get("defaultedgetype") != "undirected":
        fail("GEXF graph is not undirected")
    types = {}
    for decl in graph.iter(GEXF + "attributes"):
        for a in decl.findall(GEXF + "attribute"):
            types[(decl.get("class"), a.get("id"))] = a.get("type")
    for name in ("label", "weight", "size", "r", "g", "b"):
        if ("node", name) in types or ("edge", name) in types:
            fail("GEXF declares %r as an attribute" % name)
    convert = {"integer": int, "long": int, "double": float, "float": float,
               "string": str, "boolean": lambda s: {"true": True, "false": False}[s]}

    def values(element, cls):
        out = {}
        for av in element.iter(GEXF + "attvalue"):
            out[av.get("for")] = convert[types[(cls, av.get("for"))]](av.get("value"))
        return out

    seen = set()
    for node in graph.find(GEXF + "nodes").findall(GEXF + "node"):
        key = node.get("id")
        if key not in nodes or key in seen:
            fail("GEXF node %r unknown or repeated" % key)
        seen.add(key)
        ref = nodes[key]
        if node.get("label") != ref["label"]:
            fail("GEXF label of %s: %r, GraphML %r" % (key, node.get("label"), ref["label"]))
        v = values(node, "node")
        if v.get("category") != ref["category"] or v.get("key") != key:
            fail("GEXF values of %s: %r" % (key, v))
        for m in cols:
            if not close(v[m], ref[m]):
                fail("GEXF %s of %s: %r, GraphML %r" % (m, key, v[m], ref[m]))
        colour = node.find(VIZ + "color")
        if [int(colour.get(c)) for c in "rgb"] != [int(ref[c]) for c in "rgb"]:
            fail("GEXF colour of %s" % key)
        if not close(node.find(VIZ + "size").get("value"), ref["size"]):
            fail("GEXF size of %s" % key)
    if seen != set(nodes):
        fail("GEXF lacks nodes: %r" % sorted(set(nodes) - seen)[:5])
    count = 0
    for edge in graph.find(GEXF + "edges").findall(GEXF + "edge"):
        pair = tuple(sorted((edge.get("source"), edge.get("target"))))
        if pair not in edges or not close(edge.get("weight"), edges[pair]["weight"]):
            fail("GEXF edge %r: weight %r" % (pair, edge.get("weight")))
        if edge.get("id") != "e%d" % count:
            fail("GEXF edge id %r" % edge.get("id"))
        if values(edge, "edge")["documents"] != edges[pair]["documents"]:
            fail("GEXF documents of edge %r" % (pair,))
        count += 1
    if count != len(edges):
        fail("GEXF has %d edges, GraphML %d" % (count, len(edges)))
    print("ok: GEXF has the %d nodes and %d edges of the GraphML" % (len(seen), count))


def check_json(path, nodes, edges, cols):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if set(data) != {"attributes", "options", "nodes", "edges"}:
        fail("JSON top level: %r" % sorted(data))
    if data["options"] != {"type": "undirected", "multi": False, "allowSelfLoops": False}:
        fail("JSON options: %r" % data["options"])
    keys = [n["key"] for n in data["nodes"]]
    if sorted(keys) != sorted(nodes) or len(set(keys)) != len(keys):
        fail("JSON node keys differ from the GraphML's")
    for n in data["nodes"]:
        a, ref = n["attributes"], nodes[n["key"]]
        if "type" in a or "x" in a or "y" in a:
            fail("JSON node %s has type or a position: %r" % (n["key"], a))
        if a["label"] != ref["label"] or a["category"] != ref["category"]:
            fail("JSON label or category of %s" % n["key"])
        if a["color"] != "#%02x%02x%02x" % (int(ref["r"]), int(ref["g"]), int(ref["b"])):
            fail("JSON colour of %s: %r" % (n["key"], a["color"]))
        for m in cols + ["size"]:
            if not close(a[m], ref[m]):
                fail("JSON %s of %s: %r, GraphML %r" % (m, n["key"], a[m], ref[m]))
    for i, e in enumerate(data["edges"]):
        pair = tuple(sorted((e["source"], e["target"])))
        if e["key"] != "e%d" % i or pair not in edges or not e.get("undirected"):
            fail("JSON edge %r" % e)
        if not close(e["attributes"]["weight"], edges[pair]["weight"]):
            fail("JSON weight of %r" % (pair,))
    if len(data["edges"]) != len(edges):
        fail("JSON has %d edges, GraphML %d" % (len(data["edges"]), len(edges)))
    print("ok: JSON (graphology format) has the %d nodes and %d edges of the GraphML"
          % (len(keys), len(data["edges"])))


def check_csv(nodes_path, edges_path, nodes, edges, cols):
    with open(nodes_path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("nodes.csv starts with a BOM")
    with open(nodes_path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    head = rows[0]
    if head[:5] != ["Id", "Label", "category", "mentions", "documents"] or \
            not set(MEASURES) <= set(head) or head[-1] == "" or len(set(head)) != len(head):
        fail("nodes.csv header: %r" % head)
    if sorted(r[0] for r in rows[1:]) != sorted(nodes):
        fail("nodes.csv ids differ from the GraphML's keys")
    for r in rows[1:]:
        if len(r) != len(head):
            fail("nodes.csv record of %d fields: %r" % (len(r), r))
        d, ref = dict(zip(head, r)), nodes[r[0]]
        if d["Label"] != ref["label"] or d["category"] != ref["category"]:
            fail("nodes.csv label or category of %s: %r" % (r[0], d["Label"]))
        for m in cols:
            if not close(d[m], ref[m]):
                fail("nodes.csv %s of %s" % (m, r[0]))
    with open(edges_path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    if rows[0][:5] != ["Source", "Target", "Type", "Weight", "documents"]:
        fail("edges.csv header: %r" % rows[0])
    for r in rows[1:]:
        pair = tuple(sorted(r[:2]))
        if r[2] != "Undirected" or pair not in edges or not close(r[3], edges[pair]["weight"]):
            fail("edges.csv record %r" % r)
    if len(rows) - 1 != len(edges):
        fail("edges.csv has %d edges, GraphML %d" % (len(rows) - 1, len(edges)))
    print("ok: nodes.csv and edges.csv read back with the csv module (%d nodes, %d edges)"
          % (len(nodes), len(rows) - 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli")
    ap.add_argument("--src")
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work")
    ap.add_argument("--dir", help="check this folder instead of running nergraph build")
    a = ap.parse_args()
    try:
        import networkx as nx
    except ImportError as e:
        print("SKIP: needs Debian's python3-networkx:", e)
        sys.exit(SKIP)
    out = a.dir
    if not out:
        if not (a.cli and a.src and a.work):
            fail("give --cli, --src and --work, or --dir")
        out = os.path.join(a.work, "out")
        shutil.rmtree(a.work, ignore_errors=True)
        os.makedirs(a.work)
        subprocess.run([a.cli, "build", "--out", out], cwd=a.src, check=True)
    names = ("graph.graphml", "graph.gexf", "graph.json", "nodes.csv", "edges.csv")
    for name in names:
        if not os.path.exists(os.path.join(out, name)):
            fail("%s was not written" % name)
    for name in names[1:]:
        with open(os.path.join(out, name), encoding="utf-8") as f:
            m = EXPONENT.search(f.read())
            if m:
                fail("%s: a number in exponent form near %r" % (name, m.group(0)))
    nodes, edges = read_graphml(nx, os.path.join(out, "graph.graphml"))
    if not edges:
        fail("no edges")
    cols = numeric_columns(nodes)
    if not set(MEASURES) | {"mentions", "documents"} <= set(cols):
        fail("GraphML lacks measures: %r" % cols)
    check_gexf(os.path.join(out, "graph.gexf"), a.shared, nodes, edges, cols)
    check_json(os.path.join(out, "graph.json"), nodes, edges, cols)
    check_csv(os.path.join(out, "nodes.csv"), os.path.join(out, "edges.csv"), nodes, edges,
              cols)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
