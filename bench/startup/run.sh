#!/usr/bin/env bash
# Startup benchmark: trivial CLI calls with lazy table registration (this checkout) against a
# checkout that registers every table when a runtime starts, on the same demo lake.
#
# Usage: bench/startup/run.sh OTHER_CHECKOUT [rounds]
#   OTHER_CHECKOUT: another clone with its application jar built (e.g. `git clone . /tmp/before
#   && git -C /tmp/before checkout <commit before lazy registration> && (cd /tmp/before && mvn -B
#   -q package -Dmaven.test.skip=true)`); this checkout's jar must be built the same way.
#   1. builds a demo lake in bench/work/startup (`demo`: 7 days, 500 customers) unless one is there;
#   2. times `tables`, `sql "SELECT 1"` and `sql "SELECT count(*) FROM silver.orders"` (a new
#      JVM each time, as users run them), this checkout and the other in turn, `rounds` pairs each;
#   3. prints each run's wall and CPU seconds and `uptime`'s load average before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
OTHER=$(cd "${1:?usage: bench/startup/run.sh OTHER_CHECKOUT [rounds]}" && pwd)
ROUNDS=${2:-3}
WORK=$PWD/bench/work/startup
mkdir -p "$WORK"
export LAKEHOUSE_CONF_DIR=$PWD/conf LAKEHOUSE_LAKE_ROOT=$WORK/lake LAKEHOUSE_LANDING_ROOT=$WORK/landing

# The launcher without its build check, so that a timed run never includes a build.
launcher() {
  local home=$1
  local opens
  opens=$(sed -n 's:.*<java17.opens>\(.*\)</java17.opens>.*:\1:p' "$home/pom.xml")
  # shellcheck disable=SC2206
  LAUNCHER=(java -Xmx4g $opens -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties"
    -cp "$home/app/target/lakehouse.jar:$(cat "$home/app/target/launcher-classpath.txt")"
    lakehouse.app.LakehouseCli)
}

if [[ ! -d $WORK/lake/gold ]]; then
  echo "building the demo lake in $WORK (a few minutes) ..." >&2
  launcher "$PWD"
  "${LAUNCHER[@]}" demo > "$WORK/demo.out"
fi

echo "load average before: $(uptime | sed 's/.*load average: //')"
for call in "tables" "sql|SELECT 1" "sql|SELECT count(*) FROM silver.orders"; do
  IFS='|' read -r command statement <<< "$call"
  args=("$command")
  [[ -n $statement ]] && args+=("$statement")
  for ((i = 1; i <= ROUNDS; i++)); do
    for side in lazy other; do
      launcher "$([[ $side == lazy ]] && echo "$PWD" || echo "$OTHER")"
      /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "${LAUNCHER[@]}" "${args[@]}" \
        > /dev/null 2> "$WORK/run.err"
      read -r wall user sys < "$WORK/time.txt"
      echo "${args[*]} | $side | run $i | ${wall} s wall | $(echo "$user + $sys" | bc) s CPU"
    done
  done
done
echo "load average after: $(uptime | sed 's/.*load average: //')"
