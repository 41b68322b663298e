#!/usr/bin/env bash
# make fuzz: runs each fuzz target (PACKAGE:Target) for FUZZTIME, one at a time; a failing input
# lands in the package's testdata/fuzz/<Target> and `go test` replays it from then on.
#
# Go 1.26's fuzzing coordinator can fail a target with a bare "context deadline exceeded" at the
# end of -fuzztime, writing no input, when a worker is slow to stop (golang/go#75804, fixed in
# Go 1.27); a loaded 2-core CI machine makes it likelier. Such a run is tried once more; a second
# one, or any run that wrote an input or printed anything else, fails.
#
#   test/fuzz.sh FUZZTIME PACKAGE:Target...
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime=$1
shift
go=${GO:-go}

run() { # package target log
  "$go" test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" "$1" 2>&1 | tee "$3"
  return "${PIPESTATUS[0]}"
}

# bare_deadline log: the run failed only with the coordinator's deadline, and wrote no input.
bare_deadline() {
  grep -Eq '^[[:space:]]+context deadline exceeded$' "$1" &&
    ! grep -Eq 'Failing input written|panic:|_test\.go:[0-9]+:' "$1"
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
  pkg=${t%%:*} target=${t#*:}
  echo "== $target ($pkg, $fuzztime)"
  run "$pkg" "$target" "$log" && continue
  if bare_deadline "$log"; then
    echo "== $target: the fuzzing coordinator's deadline race (golang/go#75804), no input written: once more"
    run "$pkg" "$target" "$log" && continue
  fi
  echo "== $target failed" >&2
  exit 1
done
