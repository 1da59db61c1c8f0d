#!/usr/bin/env bash
# Report benchmark: `report --out DIR` (row counts and operations from the Delta log) against the
# old way (a count() of every version), on the same demo lake, best of N.
#
# Usage: bench/report/run.sh [rounds] [--no-build] [--old-with-new-partitions]
#   1. builds a demo lake in bench/work/report (`demo`, 7 days, 500 customers) unless one is there;
#   2. times the command as users run it (`report --out`, a new JVM each time: JVM and Spark start,
#      table registration, gathering, writing), best of N;
#   3. times both ways in one JVM and Spark session (ReportBench.java), alternating which goes
#      first, best of N, and checks that both pages show the same numbers;
#   4. records `uptime` before and after, and appends the results to bench/report/RESULTS.md.
# --no-build uses app/target/lakehouse.jar as it is (no rebuild when sources are newer).
# --old-with-new-partitions runs the old way with the snapshot partitions the report now sets
# (by default it runs as the old command did, with Delta's 50), to tell the two gains apart.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
BUILD=yes
OLD_WAY=()
for flag in "${@:2}"; do
  case $flag in
    --no-build) BUILD=no ;;
    --old-with-new-partitions) OLD_WAY=(--old-with-new-partitions) ;;
    *) echo "unknown option $flag" >&2; exit 2 ;;
  esac
done
WORK=$PWD/bench/work/report
RESULTS=bench/report/RESULTS.md
mkdir -p "$WORK"

if [[ $BUILD == yes ]]; then
  bin/lakehouse --help > /dev/null # builds the application jar when it is older than the sources
fi
OPENS=$(sed -n 's:.*<java17.opens>\(.*\)</java17.opens>.*:\1:p' pom.xml)
CP="app/target/lakehouse.jar:$(cat app/target/launcher-classpath.txt)"
export LAKEHOUSE_CONF_DIR=$PWD/conf LAKEHOUSE_LAKE_ROOT=$WORK/lake LAKEHOUSE_LANDING_ROOT=$WORK/landing
# bin/lakehouse without its build check, so that a timed run never includes a build
# shellcheck disable=SC2206
LAKEHOUSE=(java -Xmx4g $OPENS -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" -cp "$CP"
  lakehouse.app.LakehouseCli)

if [[ ! -d $WORK/lake/gold ]]; then
  echo "building the demo lake in $WORK (a few minutes) ..." >&2
  "${LAKEHOUSE[@]}" demo > "$WORK/demo.out"
fi

LOAD_BEFORE=$(uptime | sed 's/.*load average: //')
echo "load average before: $LOAD_BEFORE" >&2

best=""
cpu=""
for ((i = 1; i <= ROUNDS; i++)); do
  /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "${LAKEHOUSE[@]}" report --out "$WORK/out-cli" \
    > /dev/null 2> "$WORK/report-$i.err"
  read -r wall user sys < "$WORK/time.txt"
  echo "report --out, run $i: ${wall} s wall, $(echo "$user + $sys" | bc) s CPU" >&2
  if [[ -z $best ]] || (($(echo "$wall < $best" | bc))); then
    best=$wall
    cpu=$(echo "$user + $sys" | bc)
  fi
done

mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" bench/report/ReportBench.java
# shellcheck disable=SC2086
java -Xmx4g $OPENS -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" \
  -cp "$WORK/classes:$CP" lakehouse.report.ReportBench "$PWD/conf" "$WORK/lake" \
  "$WORK/out-bench" "$ROUNDS" "$WORK/inprocess.md" "${OLD_WAY[@]}" 2> "$WORK/bench.err"

LOAD_AFTER=$(uptime | sed 's/.*load average: //')
echo "load average after: $LOAD_AFTER" >&2
{
  echo
  echo "Run of $(date -u +'%Y-%m-%d %H:%M') UTC, $(nproc) cores, best of $ROUNDS;" \
    "load average before: $LOAD_BEFORE; after: $LOAD_AFTER."
  echo
  echo "- \`report --out\` as a command (new JVM each run): **$best s** wall, $cpu s CPU."
  echo "- in one JVM, both ways (tables: data + operational; versions counted):"
  echo
  echo "| finished | tables | versions | per-version counting | from the Delta log | speed-up | numbers | old way |"
  echo "|---|---|---|---|---|---|---|---|"
  tail -1 "$WORK/inprocess.md"
} >> "$RESULTS"
tail -12 "$RESULTS"
