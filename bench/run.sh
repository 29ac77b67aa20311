#!/usr/bin/env bash
# Builds the release binary, generates synthetic repos and records wall time and peak memory
# of `check` and `compile` for each size. usage: bench/run.sh [EVENTS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
sizes=("${@:-1000 10000 50000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-8s %-10s %-8s %-10s %-12s\n' events command threads wall_s peak_rss_mb
for n in ${sizes[@]}; do
  python3 bench/generate.py "$work/repo_$n" "$n"
  for threads in 1 2; do
    for cmd in check compile; do
      args=("$cmd" "$work/repo_$n")
      [ "$cmd" = compile ] && args+=(--out "$work/out_$n")
      /usr/bin/time -f '%e %M' -o "$work/time" env RAYON_NUM_THREADS=$threads \
        ./target/release/contrail "${args[@]}" >/dev/null || true
      read -r wall rss < <(tail -n 1 "$work/time")
      printf '%-8s %-10s %-8s %-10s %-12s\n' "$n" "$cmd" "$threads" "$wall" "$((rss / 1024))"
    done
  done
done
