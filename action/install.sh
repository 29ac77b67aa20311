#!/usr/bin/env bash
# Installs contrail into CONTRAIL_ROOT/bin: the released CONTRAIL_VERSION from crates.io, or,
# when it is empty, the action's own source at GITHUB_ACTION_PATH. The cargo target directory
# sits under the root too, so the cache restores the dependencies' build.
set -euo pipefail

if ! command -v cargo >/dev/null; then
  echo "::error title=contrail::cargo is not installed: add a Rust toolchain step (for example dtolnay/rust-toolchain@stable) before this action"
  exit 2
fi

install=(cargo install --locked --root "$CONTRAIL_ROOT" --target-dir "$CONTRAIL_ROOT/target")
if [ -n "${CONTRAIL_VERSION:-}" ]; then
  "${install[@]}" contrail --version "=$CONTRAIL_VERSION"
else
  "${install[@]}" --path "$GITHUB_ACTION_PATH"
fi
