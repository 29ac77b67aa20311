#!/usr/bin/env bash
# Decides where contrail is installed and the cache key of that install, and puts it on PATH.
#
# Input (environment): CONTRAIL_VERSION (empty: build the action's own source), and what
# the runner sets: GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_PATH, RUNNER_OS, RUNNER_ARCH.
# Outputs: root (install root; bin/ and the cargo target directory), key, restore-key.
#
# The action's directory is outside the workspace, where `hashFiles()` cannot read, so the
# hashes are computed here. A source build is keyed by Cargo.lock and by every file of the
# action (any change rebuilds); its restore key keeps the dependencies' build when only
# contrail changed.
set -euo pipefail

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum | cut -c1-64; else shasum -a 256 | cut -c1-64; fi
}

root="$HOME/.contrail-action"
prefix="contrail-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}"
version="${CONTRAIL_VERSION:-}"

if [ -n "$version" ]; then
  if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; then
    echo "::error title=contrail::input \`version\` must be a released version such as 0.2.0, or empty to build the action's source"
    exit 2
  fi
  key="$prefix-release-$version"
  restore_key="$prefix-release-"
else
  cd "$GITHUB_ACTION_PATH"
  lock=$(sha256 < Cargo.lock)
  # Every file's path and content, in a fixed order.
  source=$(find . -type f -not -path './.git/*' -not -path './target/*' -print0 | LC_ALL=C sort -z |
    while IFS= read -r -d '' file; do printf '%s\0' "$file"; cat "$file"; done | sha256)
  key="$prefix-lock-$lock-source-$source"
  restore_key="$prefix-lock-$lock-"
fi

{
  echo "root=$root"
  echo "key=$key"
  echo "restore-key=$restore_key"
} >> "$GITHUB_OUTPUT"
echo "$root/bin" >> "$GITHUB_PATH"
