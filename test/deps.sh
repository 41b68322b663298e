#!/usr/bin/env bash
# Installs what the Jenkins-side tests and `make demo` need on a Debian machine: Groovy 2.4 (the
# version Jenkins runs), a Java runtime and curl. npm-groovy-lint is installed by
# test/groovy/lint.sh on first use. Go itself is expected to be installed already.
set -euo pipefail
missing=()
command -v groovy >/dev/null || missing+=(groovy)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v curl >/dev/null || missing+=(curl)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "deps: install ${missing[*]} (Groovy 2.4 and a Java runtime; on Debian: apt-get install groovy default-jre-headless curl)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
echo "deps: installing ${missing[*]} with apt-get" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
groovy --version
