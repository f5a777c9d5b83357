#!/usr/bin/env bash
# The nergraph benchmark: builds nergraph, the corpora and the dictionaries,
# times nergraph tag/build against rg and grep, and prints every figure and a
# table of targets. See bench/README.md. Not a test: it exits 0 whether or not
# the targets are met, and non-zero only when it cannot run.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
WORK="${BENCH_WORK:-$BENCH/work}"
MBS="${BENCH_MB:-100}"
LARGE="${BENCH_LARGE:-0}"
LARGE_MB="${BENCH_LARGE_MB:-1000}"
PY=/usr/bin/python3
start=$(date +%s)

missing=""
for tool in rg grep cmake "$PY" /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "bench: missing:$missing (apt-get install ripgrep time python3 cmake)" >&2
    exit 2
fi
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

# nergraph: $NERGRAPH, else a build of this tree of its own (the project's
# default RelWithDebInfo, no tests), so others' build/ is left alone.
if [ -n "${NERGRAPH:-}" ]; then
    NG="$NERGRAPH"
else
    echo "== building nergraph into $WORK/build"
    cmake -S "$ROOT" -B "$WORK/build" -DBUILD_TESTING=OFF >"$WORK/cmake.log" 2>&1 &&
        cmake --build "$WORK/build" -j2 --target nergraph_cli >>"$WORK/cmake.log" 2>&1 || {
        tail -30 "$WORK/cmake.log" >&2
        echo "bench: building nergraph failed (log: $WORK/cmake.log)" >&2
        exit 2
    }
    NG="$WORK/build/nergraph"
fi
[ -x "$NG" ] || { echo "bench: no nergraph at $NG" >&2; exit 2; }

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "== nergraph: $NG (tree $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$(git -C "$ROOT" diff --quiet HEAD -- src include CMakeLists.txt 2>/dev/null || echo '+ uncommitted changes'))"
echo "== $(rg --version | sed -n 1p); $(grep --version | sed -n 1p)"
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews wall times)"

echo "== corpus ($MBS MB) and dictionaries"
"$PY" "$BENCH/gen_corpus.py" "$ROOT/corpus" "$WORK/corpus-$MBS" "$MBS"
"$PY" "$BENCH/gen_dicts.py" "$ROOT/dictionaries" "$ROOT/corpus" "$WORK" 2k:2000 200k:200000
args=("$NG" "$WORK" "$WORK/corpus-$MBS")
if [ "$LARGE" = 1 ]; then
    "$PY" "$BENCH/gen_corpus.py" "$ROOT/corpus" "$WORK/corpus-$LARGE_MB" "$LARGE_MB"
    args+=("$WORK/corpus-$LARGE_MB")
fi

"$PY" "$BENCH/measure.py" "${args[@]}"

# Where tag's time goes: each stage alone over the corpus held in memory
# (bench/stages.c), built from this tree.
if [ -n "${BENCH_ONLY:-}" ]; then
    echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    exit 0
fi
echo
echo "== stages of tagging, 2k aliases, $MBS MB (thread CPU time, best of 3)"
if cmake -S "$ROOT" -B "$WORK/build" -DBUILD_TESTING=OFF >>"$WORK/cmake.log" 2>&1 &&
    cmake --build "$WORK/build" -j2 --target ng_bench_stages >>"$WORK/cmake.log" 2>&1; then
    "$WORK/build/ng_bench_stages" "$WORK/dict-2k" 3 "$WORK/corpus-$MBS"
else
    echo "(ng_bench_stages did not build: $WORK/cmake.log)"
fi
echo
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== benchmark wall time: $(( $(date +%s) - start )) s"
