#!/usr/bin/env bash
# Builds //:iso twice from clean, separate output bases (different absolute
# paths, cold caches) out of the committed tree and compares the results
# byte for byte. Usage: tools/check_reproducible_iso.sh [REV] (default HEAD).
set -eu
rev="${1:-HEAD}"
top="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
work="$(mktemp -d /tmp/futura-repro.XXXXXX)"
trap 'for d in a b; do [ -d "$work/$d/src" ] && (cd "$work/$d/src" && bazel --output_user_root="$work/$d/out" shutdown >/dev/null 2>&1); done; rm -rf "$work"' EXIT
for d in a b; do
    mkdir -p "$work/$d/src"
    git -C "$top" archive "$rev" | tar -x -C "$work/$d/src"
    (cd "$work/$d/src" && bazel --output_user_root="$work/$d/out" build --disk_cache= //:iso >"$work/$d/build.log" 2>&1) ||
        { echo "build $d failed:"; tail -20 "$work/$d/build.log"; exit 1; }
    cp "$work/$d/src/bazel-bin/iso.iso" "$work/$d.iso"
    sha256sum "$work/$d.iso"
done
if cmp "$work/a.iso" "$work/b.iso"; then
    echo "reproducible: two clean builds of //:iso at $rev are byte-identical"
else
    echo "NOT reproducible: the two ISOs differ"
    exit 1
fi
