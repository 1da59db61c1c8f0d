#!/usr/bin/env bash
# Sets up the DAGs' environment and runs their tests with real Airflow and real spark-submit:
#   - DAG integrity and shape (no jar needed),
#   - dag.test() of lakehouse_daily over the sample data, in Spark local mode,
#   - one day of the pipeline on a Spark standalone cluster (a master and two workers on
#     127.0.0.1) compared with the local-mode result,
#   - a kill -9 trial: every layer's job killed at a random moment and rerun, its tables
#     compared with the local-mode result (LAKEHOUSE_KILL_TRIALS=N for more trials).
#
#   airflow-dags/run-tests.sh [pytest args...]
#
# Needs: Java 17 (JAVA_HOME or java on the PATH), Python 3.11, and the application jar
# (LAKEHOUSE_JAR, default app/target/lakehouse.jar: build it first, e.g. mvn verify).
# Exits non-zero when any test fails or when no test ran (pytest's exit code 5).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${LAKEHOUSE_AIRFLOW_VENV:-$here/.venv}

"$here/setup" || { echo "airflow-dags: setup failed" >&2; exit 1; }

export LAKEHOUSE_JAR=${LAKEHOUSE_JAR:-$(cd "$here/.." && pwd)/app/target/lakehouse.jar}
cd "$here"
"$venv/bin/python" -m pytest -p no:cacheprovider tests "$@"
status=$?
if [[ $status -eq 5 ]]; then
  echo "airflow-dags: pytest collected no tests; that is a failure here" >&2
  exit 1
fi
exit $status
