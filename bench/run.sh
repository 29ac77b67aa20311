#!/usr/bin/env bash
# Builds the release binary, generates synthetic repos and records wall time and peak memory
# of `check` and `compile` for each size, with one and two threads. Each figure is the median
# of REPEAT runs (default 3): wall times on a shared VM vary by tens of percent between runs.
# usage: [REPEAT=n] bench/run.sh [EVENTS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/measure.sh
cargo build --release --locked -q
sizes=("${@:-1000 10000 50000}")
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-8s %-10s %-8s %-10s %-12s %s\n' events command threads wall_s peak_rss_mb "all walls"
for n in ${sizes[@]}; do
  python3 bench/generate.py "$work/repo_$n" "$n"
  for cmd in check compile; do
    for threads in 1 2; do
      args=("$cmd" "$work/repo_$n")
      [ "$cmd" = compile ] && args+=(--out "$work/out_$n")
      measure "$repeat" "$threads" "${args[@]}"
      printf '%-8s %-10s %-8s %-10s %-12s %s\n' "$n" "$cmd" "$threads" "$median" "$rss" "$walls"
    done
  done
done
