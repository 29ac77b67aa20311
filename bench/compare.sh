#!/usr/bin/env bash
# Issue 15's benchmark, side by side in one run: for each size (default 100 5000 20000 events
# of `generate.py --shape issue`), `check`, `check --base HEAD~1` (5 % of events changed in
# the last of two commits), `check` with five user rules (bench/policies/) and `compile`,
# with 1 and 2 threads (RAYON_NUM_THREADS): median wall of REPEAT runs (default 5), median
# user and system CPU, peak RSS; then Go OPA v1 evaluating the same built-in modules over the
# `catalog.json` that `compile` wrote (bench/opa.py), and the ratios. Also `check` of the shop
# example. With `perf` installed (Debian: `apt-get install linux-perf`), the instructions of
# one single-threaded `check` per size too.
#
# OPA comes from PyPI's `opa-golib-python-bindings`, installed into its own venv under
# target/bench-venv. It declares Requires-Python >= 3.14 but is a ctypes wrapper that runs
# on 3.11, so it is installed with --ignore-requires-python (OPA=0 skips it).
#
# usage: [REPEAT=n] [BIN=path] [OPA=0] bench/compare.sh [EVENTS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -q
  BIN=$root/target/release/contrail
fi
sizes=("${@:-100 5000 20000}")
repeat=${REPEAT:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

venv=$root/target/bench-venv
if [ "${OPA:-1}" = 1 ] && [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --ignore-requires-python opa-golib-python-bindings==0.4.4
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_runs LABEL THREADS ARGS...: REPEAT runs, one line of figures.
time_runs() {
  local label=$1 threads=$2; shift 2
  : > "$work/runs"
  for _ in $(seq "$repeat"); do
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" env RAYON_NUM_THREADS="$threads" \
      "$BIN" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/time" >> "$work/runs"
  done
  local wall user sys rss walls
  wall=$(cut -d' ' -f1 "$work/runs" | median)
  user=$(cut -d' ' -f2 "$work/runs" | median)
  sys=$(cut -d' ' -f3 "$work/runs" | median)
  rss=$(cut -d' ' -f4 "$work/runs" | sort -n | tail -n 1)
  walls=$(cut -d' ' -f1 "$work/runs" | sort -n | tr '\n' ' ')
  printf '%-24s %-7s %-8s %-8s %-8s %-9s %s\n' "$label" "$threads" "$wall" "$user" "$sys" \
    "$((rss / 1024))" "$walls"
  echo "$wall" > "$work/last_wall"
}

git_commit() {
  git -C "$1" add -A
  git -C "$1" -c user.name=bench -c user.email=bench@example.com commit -q -m "$2"
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg)   binary: $BIN   repeat: $repeat"
printf '%-24s %-7s %-8s %-8s %-8s %-9s %s\n' what threads wall_s user_s sys_s rss_mb "all walls"
time_runs "shop example: check" 1 check fixtures/examples/shop
time_runs "shop example: check" 2 check fixtures/examples/shop
for n in ${sizes[@]}; do
  repo=$work/repo_$n
  python3 bench/generate.py --shape issue "$repo" "$n"
  git -C "$repo" init -q -b main
  git_commit "$repo" base
  python3 bench/generate.py --shape issue --changed "$repo" "$n"
  git_commit "$repo" "5 % of the events changed"
  policies=$work/policies_$n
  cp -r "$repo" "$policies"
  mkdir -p "$policies/policies"
  cp bench/policies/*.rego "$policies/policies/"
  printf 'version: 1\npolicies: ["policies/"]\n' > "$policies/contrail.yaml"
  yaml=$(cat "$repo"/*.yaml "$repo"/*/*.yaml | wc -c)
  echo "== $n events: $(find "$repo" -name '*.yaml' | wc -l) files, $((yaml / 1024)) KiB of YAML"
  for threads in 1 2; do
    time_runs "check" "$threads" check "$repo"
    eval "check_wall_$threads=$(cat "$work/last_wall")"
    time_runs "check --base HEAD~1" "$threads" check --base HEAD~1 "$repo"
    time_runs "check, 5 user rules" "$threads" check "$policies"
    time_runs "compile" "$threads" compile "$repo" --out "$work/out_$n"
  done
  out=$(du -cb "$work/out_$n"/catalog.json "$work/out_$n"/routing.json | tail -n 1 | cut -f1)
  echo "compile output: catalog.json $(( $(stat -c %s "$work/out_$n/catalog.json") / 1024 )) KiB," \
    "routing.json $(( $(stat -c %s "$work/out_$n/routing.json") / 1024 )) KiB:" \
    "$(awk -v o="$out" -v y="$yaml" 'BEGIN {printf "%.1f", o / y}')x the YAML"
  echo "two threads: $(awk -v a="$check_wall_1" -v b="$check_wall_2" 'BEGIN {printf "%.2f", a / b}')x faster than one (check)"
  if command -v perf >/dev/null; then
    instructions=$(RAYON_NUM_THREADS=1 perf stat -x, -e instructions:u "$BIN" check "$repo" 2>&1 >/dev/null \
      | awk -F, '/instructions/ {print $1}')
    echo "check, 1 thread: $instructions user-space instructions"
  fi
  if [ "${OPA:-1}" = 1 ]; then
    opa=$("$venv/bin/python" bench/opa.py "$work/out_$n/catalog.json" policies/contrail "$repeat")
    echo "Go OPA (built-ins over catalog.json): $opa"
    "$venv/bin/python" - "$opa" "$check_wall_2" <<'PY'
import json, sys
opa, check = json.loads(sys.argv[1]), float(sys.argv[2])
print(f"contrail check (2 threads) vs OPA: {opa['warm_s'] / check:.1f}x faster than OPA's warm evaluation, "
      f"{opa['one_shot_s'] / check:.1f}x faster than its one-shot load + first evaluation")
PY
  fi
done
