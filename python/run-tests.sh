#!/usr/bin/env bash
# Tests of the lakehouse Python package (python/): the PySpark API over the application jar, the
# DataFrame spine, the error mapping, the pandas reader and the example notebook (run headless).
#
#   python/run-tests.sh [pytest args...]
#
# Uses the test command's Python environment (airflow-dags/setup creates it, with this package
# installed editable and its pinned dependencies; idempotent) and the application jar
# (LAKEHOUSE_JAR, default app/target/lakehouse.jar: build it first, e.g. mvn verify).
# Exits non-zero when any test fails or when no test ran (pytest's exit code 5).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repository=$(cd "$here/.." && pwd)
venv=${LAKEHOUSE_AIRFLOW_VENV:-$repository/airflow-dags/.venv}

"$repository/airflow-dags/setup" || { echo "python: setup failed" >&2; exit 1; }

export LAKEHOUSE_JAR=${LAKEHOUSE_JAR:-$repository/app/target/lakehouse.jar}
cd "$here"
"$venv/bin/python" -m pytest -p no:cacheprovider tests "$@"
status=$?
if [[ $status -eq 5 ]]; then
  echo "python: pytest collected no tests; that is a failure here" >&2
  exit 1
fi
exit $status
