#!/usr/bin/env bash
# Feature profiling benchmark: profiling every day of a feature table against the gold run that
# produced it, same data, same run. Usage (from anywhere): bench/drift/run.sh [entities] [days]
# Needs the gold module built in this checkout: mvn -B -q -o compile -pl gold -am (its classes and
# common's come first on the class path, ahead of the jars in ~/.m2, which other checkouts replace)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/work
cp_file=$PWD/bench/work/drift.classpath
if [[ ! -s $cp_file || gold/pom.xml -nt $cp_file ]]; then
  mvn -B -q -o -pl gold dependency:build-classpath -Dmdep.outputFile="$cp_file" \
    -Dmdep.includeScope=test >/dev/null
fi
opens=$(sed -n 's:.*<java17.opens>\(.*\)</java17.opens>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
exec java -Xmx6g -XX:+UseParallelGC -Duser.timezone=UTC $opens \
  -cp "gold/target/classes:common/target/classes:$(cat "$cp_file")" bench/drift/DriftBench.java "$@"
