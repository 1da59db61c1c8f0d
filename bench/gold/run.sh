#!/usr/bin/env bash
# Gold feature computation benchmark: gold's one pass vs. the SQL window baseline (daily GROUP BY
# + RANGE window per window length, values checked equal in the same run) and vs. the per-day
# recomputation; same data, same JVM. See GoldBench.java and results.md.
# Usage (from anywhere): bench/gold/run.sh [entities] [days] [orders/entity/day]
#                        [events/entity/day] [naive-days] [rounds]
# GOLD_BENCH_JAVA_OPTS: extra JVM options (recorded in the results row), e.g.
# -XX:-DontCompileHugeMethods.
# Needs the gold module built: mvn -B -q -o install -DskipTests -pl common,gold
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/work
cp_file=$PWD/bench/work/gold.classpath
if [[ ! -s $cp_file || gold/pom.xml -nt $cp_file ]]; then
  mvn -B -q -o -pl gold dependency:build-classpath -Dmdep.outputFile="$cp_file" \
    -Dmdep.includeScope=test >/dev/null
fi
opens=$(sed -n 's:.*<java17.opens>\(.*\)</java17.opens>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
exec java -Xmx6g -XX:+UseParallelGC ${GOLD_BENCH_JAVA_OPTS:-} -Duser.timezone=UTC $opens \
  -cp "gold/target/classes:$(cat "$cp_file")" bench/gold/GoldBench.java "$@"
