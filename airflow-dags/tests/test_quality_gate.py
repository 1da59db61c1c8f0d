"""A failed quality gate, for real: silver.orders gets a check no sample can pass, and
lakehouse_daily runs through dag.test(). The silver task must fail at once (exit code 3, no
retry), its gold tasks must not run, the gate's report must be in the task log, the run's HTML
report must be written all the same, and the run must end failed.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import DAGS, IMPOSSIBLE_CHECK, REPOSITORY_CONF, gated_orders_conf, run_daily

from lakehouse_dags import factory

CHECK = IMPOSSIBLE_CHECK


@pytest.fixture(scope="module")
def gated_conf(tmp_path_factory) -> Path:
    return gated_orders_conf(tmp_path_factory.mktemp("gated"))


@contextmanager
def task_log(path: Path):
    """Collects what the run prints: dag.test() writes the task logs to the console (a
    deployment writes the same lines to the task's log file)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with path.open("w") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            # Airflow's loggers write to whatever sys.stdout is when they write.
            with redirect_stdout(sink), redirect_stderr(sink):
                yield path
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


@pytest.fixture(scope="module")
def gated_run(gated_conf, airflow_db, jar, sample, tmp_path_factory):
    from airflow.dag_processing.dagbag import BundleDagBag

    saved = os.environ.get("AIRFLOW__LAKEHOUSE__CONF_DIR")
    os.environ["AIRFLOW__LAKEHOUSE__CONF_DIR"] = str(gated_conf)
    work = tmp_path_factory.mktemp("lake-gated")
    try:
        bag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS, bundle_name="dags-folder")
        assert bag.import_errors == {}, bag.import_errors
        with task_log(work / "console.log"):
            run = run_daily(bag, jar, sample, work / "lake", {"conn_type": "spark", "host": "local[2]"})
        run.console = (work / "console.log").read_text(errors="replace")
        return run
    finally:
        os.environ["AIRFLOW__LAKEHOUSE__CONF_DIR"] = saved or str(REPOSITORY_CONF)


def test_failed_gate_fails_the_silver_task_without_retries(gated_run):
    states = gated_run.task_states()
    assert states.get("bronze.orders") == "success", states
    assert states.get("silver.orders") == "failed", states
    silver = next(ti for ti in gated_run.dag_run.get_task_instances() if ti.task_id == "silver.orders")
    assert silver.try_number == 1, f"a failed quality gate was retried: try {silver.try_number}"


def test_failed_gate_stops_the_downstream_gold_tasks(gated_run):
    states = gated_run.task_states()
    gold = {task: state for task, state in states.items() if task.startswith("gold.")}
    assert gold, f"no gold task depends on silver.orders: {states}"
    assert set(gold.values()) == {"upstream_failed"}, gold


def test_the_gate_report_is_in_the_task_log(gated_run):
    text = gated_run.console
    assert "silver.orders: run silver --table orders" in text and "exited with code 3 (quality gate failed" in text, text[-3000:]
    # The job's own report names the failing check; the Spark provider logs every line of it.
    assert "quality gate failed for silver.orders" in text and CHECK in text, (
        "the gate's report (the failing check) is not in the task log:\n" + text[-3000:]
    )


def test_the_html_report_is_written_although_the_gate_failed(gated_run):
    states = gated_run.task_states()
    assert states.get(factory.REPORT_TASK) == "success", states
    page = gated_run.report_page()
    assert page.is_file(), f"no report at {page}; report root holds {sorted(gated_run.reports.rglob('*'))}"
    html = page.read_text(encoding="utf-8")
    # The gate's metrics are committed before it fails the job: the report shows the failing check.
    assert "silver.orders" in html and CHECK in html, html[:2000]


def test_the_run_fails_although_the_report_succeeded(gated_run):
    states = gated_run.task_states()
    assert states.get(factory.WATCHER_TASK) == "failed", states
    assert str(gated_run.dag_run.state) == "failed", f"dag run state {gated_run.dag_run.state}: {states}"
    assert "this run's jobs did not all succeed" in gated_run.console, gated_run.console[-3000:]
    assert "silver.orders failed" in gated_run.console, gated_run.console[-3000:]
