#!/usr/bin/env bash
# Runs Go tests with time.Now() moved ahead (default 366 days), to show that
# no test depends on the day it runs: the tests' fixtures, clocks and test
# servers all move together, as they would on a machine a year from now.
# Real Postgres, Prometheus and Chromium keep the real clock, so packages
# whose tests read time from them (e2e, demo, promrun, Prometheus's
# integration tests) cannot be judged this way; they use times relative to
# what those servers report (see datasources/fixturedates_test.go).
#
#   scripts/clock-ahead.sh [go test args…]   default: every package but e2e and demo
#   CLOCK_AHEAD_DAYS=3650 scripts/clock-ahead.sh ./handlers/
set -euo pipefail
cd "$(dirname "$0")/.."
days=${CLOCK_AHEAD_DAYS:-366}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# go test -overlay replaces one file of the standard library for this run
# only: time.Now adds the shift to the wall clock (monotonic time, timers
# and deadlines are untouched).
src=$(go env GOROOT)/src/time/time.go
awk -v s=$((days * 86400)) '{ print } /^\tsec, nsec, mono := runtimeNow\(\)$/ { print "\tsec += " s; n++ } END { if (n != 1) exit 1 }' \
	"$src" >"$dir/time.go" || { echo "clock-ahead: cannot find time.Now's runtimeNow call in $src" >&2; exit 1; }
printf '{"Replace":{"%s":"%s"}}\n' "$src" "$dir/time.go" >"$dir/overlay.json"

# Prove the shift took before trusting a green run.
mkdir "$dir/probe"
printf 'package main\nimport ("fmt"; "time")\nfunc main() { fmt.Print(time.Now().Year()) }\n' >"$dir/probe/main.go"
year=$(cd "$dir/probe" && GOFLAGS= GO111MODULE=off go run -overlay "$dir/overlay.json" main.go)
echo "clock-ahead: time.Now() reads year $year (real: $(date -u +%Y)), $days days ahead"

if [ $# -eq 0 ]; then
	# TestAgainstRealPrometheus and the real-Jaeger tests ask a real
	# server, on the real clock, for the last minutes: a shifted clock asks
	# it about next year.
	# TestPinsThroughPostgresFlaps is a minute of crashes that reads no
	# date; once per make test is enough.
	set -- -skip '^(TestAgainstRealPrometheus|TestAgainstRealJaeger|TestPagesAgainstRealJaeger|TestStartReceiveQuery|TestPinsThroughPostgresFlaps)$' ./cmd/... ./correlation/... ./datasources/... ./handlers/... ./store/...
fi
url=$(scripts/pg.sh start)
ARIADNE_TEST_DATABASE_URL="$url" go test -overlay "$dir/overlay.json" -count=1 "$@"
