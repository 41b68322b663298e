#!/usr/bin/env bash
# Runs the Jenkins library's unit tests (test/groovy/*Test.groovy) on Groovy 2.4, the version
# Jenkins runs, with no build tool. Closes with "N passed, M failed"; exits non-zero on a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/runner/groovy-env.sh
# The tests pass names with non-ASCII characters to processes: they must be encoded as UTF-8.
export LC_ALL=C.UTF-8
# test/runner/lib holds the one @NonCPS stand-in the library compiles against outside Jenkins.
exec groovy -cp src:test/groovy:test/runner/lib test/groovy/RunTests.groovy test/groovy/*Test.groovy
