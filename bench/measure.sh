# Sourced by the bench scripts. `measure REPEAT THREADS ARGS...` runs the release binary with
# ARGS REPEAT times and sets `median` (wall seconds), `cpu` (user + system seconds, median),
# `rss` (peak MB, the largest run) and `walls` (every wall, sorted). Needs `$work`, a scratch directory.
measure() {
  local repeat=$1 threads=$2
  shift 2
  : > "$work/runs"
  for _ in $(seq "$repeat"); do
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" env RAYON_NUM_THREADS="$threads" \
      ./target/release/contrail "$@" >/dev/null || true
    tail -n 1 "$work/time" >> "$work/runs"
  done
  walls=$(cut -d' ' -f1 "$work/runs" | sort -n | tr '\n' ' ')
  median=$(cut -d' ' -f1 "$work/runs" | sort -n | sed -n "$(( (repeat + 1) / 2 ))p")
  rss=$(( $(cut -d' ' -f2 "$work/runs" | sort -n | tail -n 1) / 1024 ))
  cpu=$(awk '{printf "%.2f\n", $3 + $4}' "$work/runs" | sort -n | sed -n "$(( (repeat + 1) / 2 ))p")
}
