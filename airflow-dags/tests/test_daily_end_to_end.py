"""lakehouse_daily for one day with dag.test(): every task runs the real spark-submit of the
pyspark 3.5.7 distribution with the application jar, in Spark local mode, over the CLI's sample
data, the bronze, silver and gold tables of every declaration exist with rows, and the report
task wrote the lake's HTML report for the run date.
"""

from __future__ import annotations

import pytest
from conftest import RUN_DATE, repository_declarations

from lakehouse_dags import declarations, factory

LAYERS = ("bronze", "silver", "gold")


def jobs_of(layer: str) -> tuple[declarations.Job, ...]:
    return getattr(repository_declarations(), layer)


@pytest.mark.parametrize("layer", LAYERS)
def test_every_task_of_the_layer_succeeded(local_run, layer):
    jobs = jobs_of(layer)
    assert jobs, f"conf/ declares no {layer} job"
    states = local_run.task_states()
    not_done = {
        f"{layer}.{job.name}": states.get(f"{layer}.{job.name}")
        for job in jobs
        if states.get(f"{layer}.{job.name}") != "success"
    }
    assert not not_done, f"{layer} tasks that did not succeed for {RUN_DATE}: {not_done} (all: {states})"


@pytest.mark.parametrize("layer", LAYERS)
def test_every_table_of_the_layer_exists_with_rows(local_run, spark, layer):
    jobs = jobs_of(layer)
    assert jobs, f"conf/ declares no {layer} job"
    counts = {}
    for job in jobs:
        location = local_run.lake / layer / job.name
        assert (location / "_delta_log").is_dir(), f"{job.writes} was not written at {location}"
        counts[job.writes] = spark.read.format("delta").load(str(location)).count()
    empty = [table for table, count in counts.items() if count == 0]
    assert not empty, f"tables without rows after {RUN_DATE}: {empty} (row counts: {counts})"


def test_the_run_processed_the_day_of_its_data_interval(local_run):
    run = local_run.dag_run
    assert run.data_interval_start.strftime("%Y-%m-%d") == RUN_DATE
    assert str(run.state) == "success", f"dag run state {run.state}: {local_run.task_states()}"


def test_the_report_of_the_run_date_names_every_table_the_run_wrote(local_run):
    states = local_run.task_states()
    assert states.get(factory.REPORT_TASK) == "success", states
    # Nothing failed: the watcher had nothing to say.
    assert states.get(factory.WATCHER_TASK) == "skipped", states
    page = local_run.report_page()
    assert page.is_file(), f"no report at {page}; report root holds {sorted(local_run.reports.rglob('*'))}"
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html"), html[:200]
    missing = [job.writes for job in repository_declarations().daily_jobs() if job.writes not in html]
    assert not missing, f"tables the run wrote that the report does not show: {missing}"


def test_the_run_history_holds_every_job_of_the_run_once_folded(local_run, spark):
    # The fold task wrote the jobs' run records into _ops.runs and left none pending.
    states = local_run.task_states()
    assert states.get(factory.FOLD_TASK) == "success", states
    assert not list((local_run.lake / "_ops" / "_pending_runs").glob("*.json"))
    runs = spark.read.format("delta").load(str(local_run.lake / "_ops" / "runs")).collect()
    # Each attempt's run id names its DAG, task and try: every job once, all succeeded.
    tasks = [run["run_id"].split(".")[1] for run in runs]
    assert {run["run_id"].split(".")[0] for run in runs} == {"lakehouse_daily"}
    expected = [job.writes.replace(".", "_") for job in repository_declarations().daily_jobs()]
    assert sorted(tasks) == sorted(expected)
    assert all(run["run_id"].endswith(".try-1") for run in runs), [run["run_id"] for run in runs]
    assert {run["status"] for run in runs} == {"succeeded"}


def test_each_jobs_lineage_names_its_airflow_task_as_parent_run(local_run):
    # The operator passes the task's OpenLineage run (spark.openlineage.parent*); the job's
    # START and COMPLETE events carry it as the parent run facet.
    import json

    events = [json.loads(path.read_text()) for path in (local_run.lake / "_lineage").rglob("*.json")]
    parents = {
        event["job"]["name"]: event["run"]["facets"]["parent"]["job"]["name"]
        for event in events
        if event["eventType"] == "COMPLETE" and "parent" in event["run"]["facets"]
    }
    for job in repository_declarations().daily_jobs():
        name = next((n for n in parents if n.endswith(job.writes)), None)
        assert name is not None, f"no COMPLETE event with a parent for {job.writes}: {sorted(parents)}"
        assert parents[name] == f"lakehouse_daily.{job.writes}", parents[name]
