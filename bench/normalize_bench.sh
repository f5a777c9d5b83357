#!/usr/bin/env bash
# Time ng_normalize alone (bench/normalize_bench.c) in a built tree.
# usage: bench/normalize_bench.sh [BUILD_DIR [RUNS [PATH...]]]
#   BUILD_DIR  a build of this tree (default build/; use a Release build for figures)
#   RUNS       default 5; PATH... default bench/work/corpus-100 (bench/run.sh makes it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
runs=${2:-5}
shift $(($# < 2 ? $# : 2))
[ $# -gt 0 ] || set -- "$root/bench/work/corpus-100"
exe=$build/normalize_bench
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$root/include" -o "$exe" \
  "$root/bench/normalize_bench.c" "$build/src/libnergraph.a" \
  $(pkg-config --libs igraph libutf8proc libcjson) -lpthread -lm
"$exe" "$runs" "$@"
