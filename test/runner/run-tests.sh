#!/usr/bin/env bash
# Tests of the local pipeline runner, its syntax check and stage-tree extractor (RunnerTests.groovy).
# Exits non-zero on any failure; the last line is "N passed, M failed".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/groovy-env.sh"
exec groovy -cp "$here/lib" "$here/RunnerTests.groovy"
