#!/usr/bin/env bash
# Installs what the Jenkins-side tests and `make demo` need on a Debian machine: Groovy 2.4 (the
# version Jenkins runs), a Java 17 runtime and curl, then checks that Groovy starts with the Java
# that test/runner/groovy-env.sh finds (the one place every Groovy script finds Java).
# npm-groovy-lint is installed by test/groovy/lint.sh on first use. Go is expected already.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
missing=()
command -v groovy >/dev/null || missing+=(groovy)
java_found=no
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_found=yes
elif command -v java >/dev/null; then java_found=yes
else for j in /usr/lib/jvm/*/bin/java; do [ -x "$j" ] && java_found=yes; done
fi
[ "$java_found" = yes ] || missing+=(openjdk-17-jre-headless)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "deps: install ${missing[*]} (Groovy 2.4, a Java 17 runtime and curl; on Debian: apt-get install groovy openjdk-17-jre-headless curl)" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "deps: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
. "$here/runner/groovy-env.sh"
echo "deps: Groovy with JAVA_HOME=$JAVA_HOME" >&2
groovy --version
