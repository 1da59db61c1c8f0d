#!/usr/bin/env bash
# Runs the point-in-time join benchmark: [BENCH_ROUNDS=3] [BENCH_HEAP=4g] bench/training/run.sh SPINE_ROWS FEATURE_ROWS [DAYS] [skip-naive]
# Needs `mvn -o -q -pl common,feature-jobs install -DskipTests` first (it uses the installed jars).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cp_file="$(mktemp)"
(cd "$root" && mvn -B -q -o -pl feature-jobs dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null)
# The module's current sources, compiled privately: a rebuild of the module during a run
# changes nothing.
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
deps="$(cat "$cp_file")"
javac -nowarn -d "$classes" -cp "$deps" $(find "$root/feature-jobs/src/main/java" -name '*.java')
cp="$classes:$deps"
rm -f "$cp_file"
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx${BENCH_HEAP:-4g} -Drounds=${BENCH_ROUNDS:-3} $opens -Dlog4j2.level=warn -cp "$cp" \
  "$here/PointInTimeBenchmark.java" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
