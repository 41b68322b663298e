#!/usr/bin/env bash
# Runs the Jenkins library's unit tests (test/groovy/*Test.groovy) on Groovy 2.4, the version
# Jenkins runs, with no build tool. Closes with "N passed, M failed"; exits non-zero on a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v groovy >/dev/null; then
  echo "groovy not found: install Groovy 2.4 and a Java runtime (make deps)" >&2
  exit 1
fi
# The tests pass names with non-ASCII characters to processes: the JVM must encode them as UTF-8.
export LC_ALL=C.UTF-8
export JAVA_OPTS="${JAVA_OPTS:-} -Dfile.encoding=UTF-8"
exec groovy -cp src:test/groovy test/groovy/RunTests.groovy test/groovy/*Test.groovy
