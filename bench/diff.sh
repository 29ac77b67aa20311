#!/usr/bin/env bash
# A git repo whose last commit changes FILES files (default 2000): each file holds one event
# and its own property; the second commit tightens every property's max_length and rewords
# every event's description. Records wall time and peak memory of `contrail diff --base
# HEAD~1` and `contrail check --base HEAD~1`.
# usage: bench/diff.sh [FILES]   (BIN=path/to/contrail to skip the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-2000}
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -q
  BIN=./target/release/contrail
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo/contract/events"
write() {
  python3 - "$repo/contract" "$files" "$1" <<'PY'
import os, sys
out, files, step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(os.path.join(out, "contrail.yaml"), "w") as f:
    f.write("version: 1\n")
with open(os.path.join(out, "teams.yaml"), "w") as f:
    f.write("kind: Team\nname: data\nreviewers: ['@acme/data']\ngovernance: true\n")
for i in range(files):
    length = 64 if step == 0 else 32
    words = "A thing happened" if step == 0 else "A thing really happened"
    with open(os.path.join(out, "events", f"e{i:05}.yaml"), "w") as f:
        f.write(f"kind: Property\nname: prop_{i:05}\ntype: string\nmax_length: {length}\n")
        f.write(f"pii: none\nowner: data\ndescription: Property {i}\n---\n")
        f.write(f"kind: Event\nname: event_{i:05}\nowner: data\nversion: 1\n")
        f.write(f"description: {words} ({i}).\nproperties:\n  - {{ref: prop_{i:05}, required: true}}\n")
PY
}
git -C "$repo" init -q -b main
write 0
git -C "$repo" add -A
git -C "$repo" -c user.name=b -c user.email=b@b commit -q -m base
write 1
git -C "$repo" -c user.name=b -c user.email=b@b commit -q -am head
changed=$(git -C "$repo" diff --name-only HEAD~1 | wc -l)
printf '%-8s %-14s %-10s %-12s\n' files command wall_s peak_rss_mb
for cmd in diff check; do
  /usr/bin/time -f '%e %M' -o "$work/time" "$BIN" "$cmd" --base HEAD~1 "$repo/contract" >/dev/null || true
  read -r wall rss < <(tail -n 1 "$work/time")
  printf '%-8s %-14s %-10s %-12s\n' "$changed" "$cmd --base" "$wall" "$((rss / 1024))"
done
