#!/usr/bin/env bash
# Builds the release binary, generates synthetic repos and records wall time and peak memory
# of `check` and `compile` for each size, with one and two threads. Each figure is the median
# of REPEAT runs (default 3): wall times on a shared VM vary by tens of percent between runs.
# usage: [REPEAT=n] bench/run.sh [EVENTS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
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
      : > "$work/runs"
      for _ in $(seq "$repeat"); do
        /usr/bin/time -f '%e %M' -o "$work/time" env RAYON_NUM_THREADS=$threads \
          ./target/release/contrail "${args[@]}" >/dev/null || true
        tail -n 1 "$work/time" >> "$work/runs"
      done
      walls=$(cut -d' ' -f1 "$work/runs" | sort -n | tr '\n' ' ')
      median=$(cut -d' ' -f1 "$work/runs" | sort -n | sed -n "$(( (repeat + 1) / 2 ))p")
      rss=$(cut -d' ' -f2 "$work/runs" | sort -n | tail -n 1)
      printf '%-8s %-10s %-8s %-10s %-12s %s\n' "$n" "$cmd" "$threads" "$median" "$((rss / 1024))" "$walls"
    done
  done
done
