#!/usr/bin/env bash
# Lints the Jenkins library and the example Jenkinsfiles: the Groovy 2.4 syntax check when the
# pipeline runner provides it, then npm-groovy-lint 16 (CodeNarc) with .groovylintrc.json.
# npm-groovy-lint is installed on first use into test/groovy/.tools (git-ignored); it needs
# Node.js with npm and Java 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
# npm-groovy-lint runs CodeNarc on the Java that the Groovy scripts use.
. test/runner/groovy-env.sh
files=(vars src Jenkinsfile.example examples/Jenkinsfile.bug-repro test/e2e/testdata/Jenkinsfile.self-service)

if [ -x test/runner/check-syntax ]; then
  test/runner/check-syntax
else
  echo "test/runner/check-syntax not found: skipping the Groovy 2.4 syntax check" >&2
fi

tools=test/groovy/.tools
lint=$tools/node_modules/.bin/npm-groovy-lint
if [ ! -x "$lint" ]; then
  if ! command -v npm >/dev/null; then
    echo "npm not found: install Node.js and npm, then rerun (npm-groovy-lint 16 is installed into $tools)" >&2
    exit 1
  fi
  echo "installing npm-groovy-lint 16 into $tools" >&2
  npm install --silent --no-audit --no-fund --prefix "$tools" npm-groovy-lint@16 >&2
fi
exec "$lint" --noserver --failon info --output txt "${files[@]}"
