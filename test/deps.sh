#!/usr/bin/env bash
# Installs what the Jenkins-side tests and `make demo` need on a Debian machine: Groovy 2.4 (the
# version Jenkins runs) and a Java runtime. npm-groovy-lint is installed by test/groovy/lint.sh
# on first use. Go itself is expected to be installed already.
set -euo pipefail
if command -v groovy >/dev/null && command -v java >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "deps: install Groovy 2.4 and a Java runtime (Debian: apt-get install groovy default-jre-headless)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
echo "deps: installing groovy and default-jre-headless with apt-get" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends groovy default-jre-headless >/dev/null
groovy --version
