#!/usr/bin/env bash
# Installs contrail into CONTRAIL_ROOT/bin: the release tag vCONTRAIL_VERSION of contrail's
# repository or, when CONTRAIL_VERSION is empty, the action's own source at GITHUB_ACTION_PATH.
# The cargo target directory sits under the root too, so the cache restores the dependencies'
# build.
set -euo pipefail

if ! command -v cargo >/dev/null; then
  echo "::error title=contrail::cargo is not installed: add a Rust toolchain step (for example dtolnay/rust-toolchain@stable) before this action"
  exit 2
fi

install=(cargo install --locked --root "$CONTRAIL_ROOT" --target-dir "$CONTRAIL_ROOT/target")
if [ -n "${CONTRAIL_VERSION:-}" ]; then
  # From git, not crates.io: the crate name `contrail` there belongs to another project. The
  # repository is the one the action's own Cargo.toml names.
  repository=$(sed -n 's/^repository = "\(.*\)"$/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml")
  if [ -z "$repository" ]; then
    echo "::error title=contrail::the action's Cargo.toml names no repository to install version $CONTRAIL_VERSION from"
    exit 2
  fi
  "${install[@]}" --git "$repository" --tag "v$CONTRAIL_VERSION" contrail
else
  "${install[@]}" --path "$GITHUB_ACTION_PATH"
fi
