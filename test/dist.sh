#!/usr/bin/env bash
# make dist: static dxsteps binaries for the agents Jenkins runs on, with SHA-256 checksums.
# Usage: test/dist.sh VERSION   (writes dist/dxsteps-VERSION-OS-ARCH/ and dist/SHA256SUMS)
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-dev}
ldflags="-s -w -X github.com/dxsteps/dxsteps/internal/cli.Version=$version"
rm -rf dist
for target in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64; do
  os=${target%/*} arch=${target#*/}
  out="dist/dxsteps-$version-$os-$arch"
  mkdir -p "$out"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$out/" \
    ./steps/... ./test/dx-engine ./test/tools/...
  tar -C dist -czf "$out.tar.gz" "$(basename "$out")"
  rm -rf "$out"
done
(cd dist && sha256sum ./*.tar.gz > SHA256SUMS)
cat dist/SHA256SUMS
