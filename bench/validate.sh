#!/usr/bin/env bash
# Throughput and peak memory of `contrail validate-events` on generated traffic (~1 KB lines,
# ~10 % invalid, bench/generate_events.py): for the shop example and for a synthetic contract
# of bench/generate.py, with and without `--route`, with one and two threads, at each size.
# Each figure is the median of REPEAT runs (default 3). Not part of `cargo test`.
# usage: [REPEAT=n] [CONTRACT_EVENTS=n] bench/validate.sh [LINES ...]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/measure.sh
cargo build --release --locked -q
sizes=("${@:-10000 1000000}")
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/generate.py "$work/large" "${CONTRACT_EVENTS:-2000}"
for c in shop large; do
  dir=fixtures/examples/shop
  [ "$c" = large ] && dir="$work/large"
  ./target/release/contrail compile "$dir" --out "$work/compiled_$c" >/dev/null
done
printf '%-8s %-9s %-6s %-8s %-8s %-10s %-7s %-12s %s\n' contract lines route threads wall_s events_s cpu_s peak_rss_mb "all walls"
for n in ${sizes[@]}; do
  for c in shop large; do
    dir=fixtures/examples/shop
    [ "$c" = large ] && dir="$work/large"
    python3 bench/generate_events.py "$work/compiled_$c" "$n" > "$work/events_$c.jsonl"
    for route in no yes; do
      for threads in 1 2; do
        args=(validate-events "$dir" --events "$work/events_$c.jsonl" --dead-letter "$work/dead.jsonl"
              --max-rejection-rate 1 -q)
        [ "$route" = yes ] && args+=(--route)
        measure "$repeat" "$threads" "${args[@]}"
        rate=$(python3 -c "print(int($n / max($median, 0.001)))")
        printf '%-8s %-9s %-6s %-8s %-8s %-10s %-7s %-12s %s\n' "$c" "$n" "$route" "$threads" "$median" "$rate" "$cpu" "$rss" "$walls"
      done
    done
  done
done
