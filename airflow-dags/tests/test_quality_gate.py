"""A failed quality gate, for real: silver.orders gets a check no sample can pass, and
lakehouse_daily runs through dag.test(). The silver task must fail at once (exit code 3, no
retry), its gold tasks must not run, and the gate's report must be in the task log.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import DAGS, REPOSITORY_CONF, airflow_home, run_daily

IMPOSSIBLE_ROWS = 1_000_000


@pytest.fixture(scope="module")
def gated_conf(tmp_path_factory) -> Path:
    """The repository's conf/ with the orders pipeline only and an impossible silver check."""
    conf = tmp_path_factory.mktemp("gated") / "conf"
    shutil.copytree(REPOSITORY_CONF, conf)
    for folder, keep in (("sources", "orders"), ("tables", "orders"), ("training", None)):
        for path in (conf / folder).glob("*.conf"):
            if path.stem != keep:
                path.unlink()
    with (conf / "tables" / "orders.conf").open("a") as contract:
        contract.write(
            f"\n# Added by the test: no sample day has this many orders.\n"
            f"checks += {{ type = row-count, min = {IMPOSSIBLE_ROWS}, severity = error }}\n"
        )
    return conf


@pytest.fixture(scope="module")
def gated_run(gated_conf, airflow_db, jar, sample, tmp_path_factory):
    from airflow.dag_processing.dagbag import BundleDagBag

    saved = os.environ.get("AIRFLOW__LAKEHOUSE__CONF_DIR")
    os.environ["AIRFLOW__LAKEHOUSE__CONF_DIR"] = str(gated_conf)
    try:
        bag = BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS, bundle_name="dags-folder")
        assert bag.import_errors == {}, bag.import_errors
        lake = tmp_path_factory.mktemp("lake-gated")
        return run_daily(bag, jar, sample, lake, {"conn_type": "spark", "host": "local[2]"})
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
    logs = sorted((airflow_home() / "logs").glob(
        f"dag_id=lakehouse_daily/run_id={gated_run.dag_run.run_id}/task_id=silver.orders/**/*.log"
    ))
    assert logs, f"no task log for silver.orders under {airflow_home() / 'logs'}"
    text = "\n".join(path.read_text(errors="replace") for path in logs)
    assert "exited with code 3 (quality gate failed" in text, text[-3000:]
    assert "row-count" in text and str(IMPOSSIBLE_ROWS) in text, (
        "the gate's report (the failing check) is not in the task log:\n" + text[-3000:]
    )
