#!/usr/bin/env bash
# make dist: the release archives the library installs on its agents by itself, with SHA-256 checksums.
# Usage: test/dist.sh VERSION   (VERSION: resources/io/dxsteps/version.txt, as the library reads it)
# Writes dist/VERSION/:
#   dxsteps-VERSION-OS-ARCH.tar.gz (.zip for windows)           the step binaries only
#   dxsteps-testkit-VERSION-OS-ARCH.tar.gz (.zip for windows)   the local engine and the example tools
#   SHA256SUMS                                                   sha256sum format, one line per archive
# Publish dist/VERSION/ as it is (a release, an artifact repository folder, a shared mount) and set
# DXSTEPS_DIST_URL to the folder above it, or to a URL with {version} in place of VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: test/dist.sh VERSION}
library=$(cat resources/io/dxsteps/version.txt)
if [ "$version" != "$library" ]; then
  echo "dist: VERSION $version is not the library's version $library (resources/io/dxsteps/version.txt);" \
    "the library would refuse these binaries" >&2
  exit 1
fi
ldflags="-s -w -X github.com/dxsteps/dxsteps/internal/cli.Version=$version"
out="dist/$version"
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# pack DIR NAME: the archive of DIR/NAME/ (a folder named like the archive) for its platform.
pack() {
  local dir=$1 name=$2 os=$3
  if [ "$os" = windows ]; then
    (cd "$dir" && zip -qr -X "$OLDPWD/$out/$name.zip" "$name")
  else
    tar -C "$dir" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
  fi
}
for target in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64; do
  os=${target%/*} arch=${target#*/}
  steps="dxsteps-$version-$os-$arch" testkit="dxsteps-testkit-$version-$os-$arch"
  mkdir -p "$work/$steps" "$work/$testkit"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$work/$steps/" ./steps/...
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$work/$testkit/" \
    ./test/dx-engine ./test/tools/...
  pack "$work" "$steps" "$os"
  pack "$work" "$testkit" "$os"
done
(cd "$out" && sha256sum dxsteps-* > SHA256SUMS)
cat "$out/SHA256SUMS"
