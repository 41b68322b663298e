#!/usr/bin/env bash
# make demo: the workshop's Data Pipeline, Jenkinsfile.example, run by the local pipeline runner
# against the local engine with the workshop estate. Prints the stage graph and the catalog.
# make demo PLATFORM=dct (test/demo.sh --platform dct) runs the same Jenkinsfile against the local
# engine's Data Control Tower API, with the admin's API key as a Secret text credential: only the
# PLATFORM and CREDENTIALS_ID build parameters change.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin="$root/bin"

platform=engine
while [ $# -gt 0 ]; do
  case "$1" in
    --platform) platform=${2:-}; shift 2 || { echo "demo: --platform needs engine or dct" >&2; exit 64; } ;;
    --platform=*) platform=${1#--platform=}; shift ;;
    *) echo "demo: unknown argument $1 (usage: test/demo.sh [--platform engine|dct])" >&2; exit 64 ;;
  esac
done
case "$platform" in
  engine|dct) ;;
  *) echo "demo: platform '$platform' is not engine or dct" >&2; exit 64 ;;
esac
. test/runner/groovy-env.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/dxsteps-demo.XXXXXX")
engine_pid=""
cleanup() {
  if [ -n "$engine_pid" ]; then kill "$engine_pid" 2>/dev/null || true; wait "$engine_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The local engine, on a free loopback port; jobs run at a tenth of real time.
"$bin/dx-engine" --addr 127.0.0.1:0 --speed "${DXSTEPS_DEMO_SPEED:-0.1}" --url-file "$work/engine-url" 2>"$work/engine.log" &
engine_pid=$!
for _ in $(seq 100); do [ -s "$work/engine-url" ] && break; sleep 0.1; done
engine=$(cat "$work/engine-url")
echo "demo: local Delphix engine at $engine (workshop estate: Patients Prod, Patients Masked Master, template Patients, prep1..prep6)"

# Production changes before the pipeline runs, so the run has new data to carry.
curl -fsS -X POST -d '{"database":"Patients Prod"}' "$engine/dxsteps-test/v1/prod/change" >/dev/null

# The Jenkins credentials the Jenkinsfile names, as the runner reads them: on the engine the admin's
# username/password; on DCT a Secret text credential holding the admin's API key, as dx-engine
# printed it at start.
platform_params=()
if [ "$platform" = dct ]; then
  api_key=""
  for _ in $(seq 100); do
    api_key=$(sed -n 's/^dx-engine: DCT API key of delphix_admin (admin): //p' "$work/engine.log")
    [ -n "$api_key" ] && break
    sleep 0.1
  done
  if [ -z "$api_key" ]; then
    echo "demo: the local engine printed no DCT API key for delphix_admin; its log follows" >&2
    cat "$work/engine.log" >&2
    exit 1
  fi
  sed -n 's/^dx-engine: \(Data Control Tower API at [^ ]*\).*/demo: \1/p' "$work/engine.log"
  platform_params=(--param PLATFORM=dct --param CREDENTIALS_ID=delphix-dct-api-key)
fi
dct_credential=""
if [ -n "${api_key:-}" ]; then
  dct_credential='"delphix-dct-api-key": {"secret": "'"$api_key"'"},'
fi
cat >"$work/credentials.json" <<JSON
{"delphix-engine": {"username": "delphix_admin", "password": "landshark"}, $dct_credential
 "report-ro-password": {"secret": "demo-report-ro-$$"}}
JSON

mkdir -p "$work/workspace"
cp -r examples "$work/workspace/"
# The example's tools, given as its build parameters: the example account tool and subsetter, and a
# password store that stands for your vault: a file outside the workspace, removed with the demo.
store='umask 077; printf "%s %s\n" "$DX_ACCOUNT" "$DX_NEW_PASSWORD" >>'"'$work/vault'"
set +e
DXSTEPS_HOME="$bin" DELPHIX_ENGINE="$engine" \
  test/runner/jenkinsfile-runner --library "$root" --credentials "$work/credentials.json" \
    --job-name data-pipeline --build-number 1 --workspace "$work/workspace" --artifacts "$work/artifacts" \
    --param ACCOUNT_TOOL="$bin/dx-example-accounts" --param SUBSET_TOOL="$bin/dx-example-subset" \
    --param PASSWORD_STORE="$store" ${platform_params[@]+"${platform_params[@]}"} Jenkinsfile.example
status=$?
set -e
if [ $status -ne 0 ]; then
  echo "demo: the pipeline did not succeed (runner exit $status: 1 unstable, 2 failure, 4 aborted); the engine's log follows" >&2
  tail -n 20 "$work/engine.log" >&2
  exit $status
fi

echo
echo "demo: generated passwords went to the password store ($(cut -d' ' -f1 "$work/vault" | paste -sd, -)), none to the workspace"
DELPHIX_ENGINE="$engine" "$bin/dx-engine" catalog
