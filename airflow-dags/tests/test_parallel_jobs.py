"""Jobs that write different tables run side by side: two bronze jobs, each in its own writer
pool, submitted at once through the real operator and spark-submit, overlap in time as their
run records show, and the run history holds each run exactly once after the fold."""

from __future__ import annotations

import json
import threading
from datetime import datetime

from conftest import (
    REPOSITORY_CONF, RUN_DATE, SMALL_DATA_SPARK_CONF, environment, repository_declarations, spark_home,
    spark_submit,
)

from lakehouse_dags.operator import LakehouseJobOperator, pool_name


def test_bronze_jobs_of_different_pools_overlap_and_are_recorded_once(jar, sample, spark, tmp_path):
    decls = repository_declarations()
    sources = ("orders", "customers")
    pools = {pool_name(decls.group_of(f"bronze.{source}")) for source in sources}
    assert len(pools) == 2, pools
    lake = tmp_path / "lake"
    settings = {
        "AIRFLOW_CONN_SPARK_LAKEHOUSE": json.dumps({"conn_type": "spark", "host": "local[1]"}),
        "AIRFLOW_VAR_LAKEHOUSE_JAR": str(jar),
        "AIRFLOW_VAR_LAKEHOUSE_ENV": "local",
        "AIRFLOW_VAR_LAKEHOUSE_CONF": json.dumps({"lakehouse.lake-root": str(lake), "lakehouse.landing-root": str(sample)}),
        "AIRFLOW_VAR_LAKEHOUSE_SPARK_CONF": json.dumps(SMALL_DATA_SPARK_CONF),
        "AIRFLOW_VAR_LAKEHOUSE_RESULT_ROOT": str(tmp_path / "results"),
        "SPARK_HOME": str(spark_home()),
    }
    tasks = [
        LakehouseJobOperator(
            task_id=f"bronze_{source}", command=["run", "bronze", "--source", source, "--date", RUN_DATE],
            writes=f"bronze.{source}", pool=pool_name(decls.group_of(f"bronze.{source}")),
            parse_conf_dir=REPOSITORY_CONF, conn_id="spark_lakehouse",
        )
        for source in sources
    ]
    errors: list[BaseException] = []

    def execute(task: LakehouseJobOperator) -> None:
        try:
            task.execute({})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    with environment(settings):
        threads = [threading.Thread(target=execute, args=(task,)) for task in tasks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=900)
    assert not errors, errors

    fold = spark_submit(jar, "runs", "--fold", "--conf-dir", str(REPOSITORY_CONF), "--conf", f"lakehouse.lake-root={lake}")
    assert fold.returncode == 0, fold.stderr
    assert fold.stdout.startswith("folded 2 finished runs into _ops.runs"), fold.stdout
    runs = spark.read.format("delta").load(str(lake / "_ops" / "runs")).orderBy("started_at").collect()
    assert sorted(run["target"] for run in runs) == ["bronze.customers", "bronze.orders"]
    assert {run["status"] for run in runs} == {"succeeded"}
    assert len({run["run_id"] for run in runs}) == 2
    first, second = runs
    # Each started before the other finished: they ran at the same time.
    assert second["started_at"] < first["finished_at"], [(r["target"], r["started_at"], r["finished_at"]) for r in runs]
    assert isinstance(first["started_at"], datetime)
