#!/usr/bin/env bash
# Runs `contrail check` for the action: annotations and the job summary (`--format github`),
# the SARIF report, the base to compare with, and `--fail-on`. Its exit status goes to the
# step output `exit-code` and the script itself succeeds, so that the report is uploaded
# before the action fails the job.
#
# Input (environment): CONTRAIL_PATH, CONTRAIL_BASE, PULL_REQUEST_BASE, CONTRAIL_ARGS,
# SARIF_FILE, FAIL_ON, GITHUB_OUTPUT. None of them is ever evaluated as shell code.
set -euo pipefail

base="${CONTRAIL_BASE:-${PULL_REQUEST_BASE:-}}"
# Split on whitespace (newlines too) only: `read -a` does no globbing, quoting or expansion.
# `-d ''` reads to the end, where read returns 1.
IFS=$' \t\n' read -r -d '' -a extra <<< "${CONTRAIL_ARGS:-}" || true

command=(contrail check "$CONTRAIL_PATH" --format github --sarif "$SARIF_FILE" --fail-on "$FAIL_ON")
if [ -n "$base" ]; then
  command+=(--base "$base")
fi
# `${a[@]+...}`: an empty array is an unbound variable under `set -u` in bash before 4.4.
command+=(${extra[@]+"${extra[@]}"})

mkdir -p "$(dirname "$SARIF_FILE")"
status=0
"${command[@]}" || status=$?
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
