#!/usr/bin/env bash
# Scale-out figures: `nergraph build` alone versus scripts/nergraph-parallel
# (count shards with GNU parallel, then merge) with 1 and 2 jobs, on the
# benchmark corpus; wall time and peak memory per process; the size of the
# partials relative to the input; and merge time for 2, 8 and 64 shards.
# Every output is compared with build's (they must be the same bytes). A
# benchmark: it prints figures and is not a test. See bench/README.md.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
WORK="${BENCH_WORK:-$BENCH/work}"
MBS="${BENCH_MB:-100}"
PY=/usr/bin/python3
for tool in parallel cmake "$PY" /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "bench: missing $tool (apt-get install parallel time python3 cmake)" >&2
        exit 2
    }
done
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
if [ -n "${NERGRAPH:-}" ]; then
    NG="$NERGRAPH"
else
    cmake -S "$ROOT" -B "$WORK/build" -DBUILD_TESTING=OFF >"$WORK/cmake.log" 2>&1 &&
        cmake --build "$WORK/build" -j2 --target nergraph_cli >>"$WORK/cmake.log" 2>&1 || {
        tail -30 "$WORK/cmake.log" >&2
        exit 2
    }
    NG="$WORK/build/nergraph"
fi
"$PY" "$BENCH/gen_corpus.py" "$ROOT/corpus" "$WORK/corpus-$MBS" "$MBS"
CORPUS="$WORK/corpus-$MBS"
S="$WORK/scale"
rm -rf "$S" && mkdir -p "$S"
DICT="$ROOT/dictionaries"

# Each nergraph process appends "seconds peak-KiB command cpu-seconds" to $S/procs.
cat >"$S/nergraph" <<EOF
#!/bin/sh
exec /usr/bin/time -a -o "$S/procs" -f "%e %M \$1 %U %S" "$NG" "\$@"
EOF
chmod +x "$S/nergraph"

input_mb=$(du -sb "$CORPUS" | awk '{printf "%.1f", $1 / 1e6}')
docs=$(find "$CORPUS" -type f | wc -l)
echo "== corpus: $input_mb MB in $docs documents; $(nproc) cores;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME COMMAND...: wall seconds and the peak memory of its processes.
run() {
    local name=$1
    shift
    : >"$S/procs"
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    awk -v name="$name" -v t0="$t0" -v t1="$t1" '
        { n++; cpu += $4 + $5; if ($2 > peak) peak = $2; if ($3 == "merge") merge = $1 }
        END { printf "%-34s wall %7.2f s  cpu %7.2f s  processes %3d  peak %6.1f MiB per process%s\n",
                     name, t1 - t0, cpu, n, peak / 1024,
                     merge != "" ? sprintf("  (merge %.2f s)", merge) : "" }' "$S/procs"
}

same() {
    for f in "$S/build"/*; do
        cmp -s "$f" "$1/$(basename "$f")" || { echo "  DIFFERS: $(basename "$f") in $1"; return 1; }
    done
    echo "  same bytes as build: yes"
}

run "build --threads 1" "$S/nergraph" build --threads 1 --dict "$DICT" --out "$S/build" "$CORPUS"
run "build --threads 2" "$S/nergraph" build --threads 2 --dict "$DICT" --out "$S/build2" "$CORPUS"
same "$S/build2"
for jobs in 1 2; do
    run "nergraph-parallel -j $jobs (+ merge)" "$ROOT/scripts/nergraph-parallel" \
        --nergraph "$S/nergraph" -j "$jobs" --dict "$DICT" --out "$S/par$jobs" \
        --work "$S/parts$jobs" "$CORPUS"
    same "$S/par$jobs"
done
partial_mb=$(du -cb "$S/parts1"/part-*.tsv | awk 'END {printf "%.1f", $1 / 1e6}')
echo "partials: $partial_mb MB for $input_mb MB of input" \
    "($(awk -v p="$partial_mb" -v i="$input_mb" 'BEGIN {printf "%.2f", p / i}')x)"

# Exactly 2, 8 and 64 shards (documents dealt round-robin), counted two at a
# time; then the merges are timed.
find "$CORPUS" -type f | LC_ALL=C sort >"$S/documents"
for shards in 2 8 64; do
    rm -rf "$S/shards" && mkdir -p "$S/shards"
    awk -v n="$shards" -v dir="$S/shards" '{ print > sprintf("%s/list-%03d", dir, (NR - 1) % n) }' \
        "$S/documents"
    ls "$S/shards"/list-* | xargs -P 2 -I{} sh -c \
        "xargs '$NG' count --threads 1 --dict '$DICT' --out {}.tsv < {}"
    n=$(ls "$S/shards"/*.tsv | wc -l)
    run "merge of $n partials" "$S/nergraph" merge --dict "$DICT" --out "$S/m$shards" \
        "$S/shards"/*.tsv
    same "$S/m$shards"
    run "merge --partial of $n partials" "$S/nergraph" merge --partial --out "$S/m.tsv" \
        "$S/shards"/*.tsv
done
