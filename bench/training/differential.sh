#!/usr/bin/env bash
# Runs the randomized point-in-time differential test (PointInTimeDifferentialTest) over seeds
# 1..N, or A..B given as A-B (default 20): random multi-version feature tables, every knowledge mode, compared row by
# row with a brute-force reading of docs/point-in-time.md. Prints one line per seed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seeds=${1:-20}
mvn -B -pl feature-jobs -am verify -Dtest=PointInTimeDifferentialTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dpit.seeds="$seeds" | tee /tmp/differential.log \
  | grep -E '^differential|Tests run:|FAIL'
