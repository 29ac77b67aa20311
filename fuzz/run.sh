#!/usr/bin/env bash
# A long fuzzing campaign: the properties of tests/fuzz.rs with many cases, once per seed,
# at the lowest CPU priority. `cargo test` runs the same properties with a few cases.
#
#   fuzz/run.sh [CASES [SEED...]]      defaults: 2000 cases per property, seeds 1 2 3 4
#
# CASES is per in-process property; the property that runs the binary gets CASES / 20.
# A failing case is printed, shrunk, in the seed's log; keep it as a named regression
# test in tests/fuzz.rs. Logs and one summary line per seed go to target/fuzz-campaign/.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-2000}
[ $# -gt 0 ] && shift
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3 4)
out=target/fuzz-campaign
mkdir -p "$out"

# Copies of the test binary and of contrail (built with it): rebuilding during a campaign
# does not touch them.
exe=$(nice -n 19 cargo test --locked --test fuzz --no-run --message-format=json |
  sed -n 's/.*"executable":"\([^"]*\/fuzz-[^"]*\)".*/\1/p' | tail -1)
cp "$exe" "$out/fuzz"
cp target/debug/contrail "$out/contrail"

for seed in "${seeds[@]}"; do
  start=$(date +%s)
  status=0
  CONTRAIL_FUZZ_CASES=$cases CONTRAIL_FUZZ_SEED=$seed \
    CARGO_BIN_EXE_contrail="$PWD/$out/contrail" \
    nice -n 19 "$out/fuzz" --test-threads 2 >"$out/seed-$seed.log" 2>&1 || status=$?
  echo "$(date -u +%FT%TZ) seed=$seed cases=$cases seconds=$(($(date +%s) - start)) exit=$status" |
    tee -a "$out/summary.txt"
done
