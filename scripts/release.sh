#!/usr/bin/env bash
# Packs a release: the pactgen binary, its licences and README.md into
# pactgen-<version>-<target>.tar.gz, with pactgen-<version>-<target>.tar.gz.sha256 beside it
# (checked with `sha256sum -c`). The archive is reproducible: files in name order, owned by
# 0:0, dated SOURCE_DATE_EPOCH (default: the last commit's time), gzip without a name or time.
#
#   scripts/release.sh                    # cargo build --release, then pack it
#   scripts/release.sh --binary PATH      # pack an already built binary (CI, tests)
#
# Options:
#   --binary PATH   the binary to pack (default: build target/release/pactgen with cargo)
#   --target TRIPLE the target named in the file name (default: rustc's host triple, or the
#                   value of --target given to cargo through CARGO_BUILD_TARGET)
#   --out DIR       where the archive and its checksum go (default: target/dist)
#
# The binary is stripped of debug symbols when `strip` is installed. Prints the archive's path.
# Needs bash, tar (GNU), gzip and sha256sum (coreutils).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=""
target="${CARGO_BUILD_TARGET:-}"
out="$ROOT/target/dist"

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    --target) target=${2:?--target needs a triple}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -n 1)
if [ -z "$version" ]; then
  echo "release.sh: no version in $ROOT/Cargo.toml" >&2
  exit 1
fi

if [ -z "$binary" ]; then
  if [ -n "$target" ]; then
    (cd "$ROOT" && cargo build --release --locked --target "$target")
    binary="$ROOT/target/$target/release/pactgen"
  else
    (cd "$ROOT" && cargo build --release --locked)
    binary="$ROOT/target/release/pactgen"
  fi
fi
if [ ! -x "$binary" ]; then
  echo "release.sh: no executable binary at $binary" >&2
  exit 1
fi
if [ -z "$target" ]; then
  target=$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')
fi
if [ -z "$target" ]; then
  echo "release.sh: cannot tell the target; pass --target TRIPLE" >&2
  exit 1
fi

epoch=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}
name="pactgen-$version-$target"
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
install -m 0755 "$binary" "$stage/$name/pactgen"
# Debug symbols are most of a binary's size and no user needs them; `strip` of another
# architecture fails harmlessly and leaves the binary as built.
if command -v strip >/dev/null 2>&1; then
  strip "$stage/$name/pactgen" 2>/dev/null || echo "release.sh: binary left unstripped" >&2
fi
for f in README.md LICENSE-MIT LICENSE-APACHE; do
  install -m 0644 "$ROOT/$f" "$stage/$name/$f"
done

tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --format=gnu \
  -C "$stage" -cf - "$name" | gzip -n -9 > "$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "$out/$name.tar.gz"
