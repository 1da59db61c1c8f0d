#!/usr/bin/env bash
# Bronze benchmark: bronze ingest vs a bare spark.read.json(...).write.format("delta") of the
# same files. Usage: bench/bronze/run.sh [customers] [days] [rounds] [key=value settings...]
# Appends its results to bench/bronze/RESULTS.md. Data and lakes go to bench/work/bronze.
set -euo pipefail
cd "$(dirname "$0")/../.."
CUSTOMERS=${1:-100000}
DAYS=${2:-8}
ROUNDS=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
WORK=bench/work/bronze
OUT=bench/work/bronze-classes
# Uses the installed common (as the layer modules do) and this checkout's bronze classes.
mvn -B -q -o compile -pl bronze
mvn -B -q -o dependency:build-classpath -pl bronze -Dmdep.outputFile="$PWD/$OUT.cp" -Dmdep.includeScope=test
CP="bronze/target/classes:$(cat "$OUT.cp")"
mkdir -p "$OUT" "$WORK"
javac -d "$OUT" -cp "$CP" bench/bronze/BronzeBench.java
OPENS=$(sed -n 's:.*<java17.opens>\(.*\)</java17.opens>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
java -Xmx8g -XX:+UseParallelGC $OPENS -Dlakehouse.conf.dir="$PWD/conf" -Dlog4j2.configurationFile="$PWD/common/src/test/resources/log4j2-test.properties" \
  -cp "$OUT:$CP" BronzeBench "$WORK" "$CUSTOMERS" "$DAYS" "$ROUNDS" bench/bronze/RESULTS.md "$@"
