"""One day of the pipeline on a real Spark standalone cluster.

A master and two workers of the pyspark 3.5.7 distribution start on 127.0.0.1; lakehouse_daily
runs through dag.test() with the Spark connection pointing at spark://127.0.0.1:PORT (so every
job is `spark-submit --master spark://127.0.0.1:PORT`, its executors on the workers); the tables
must hold exactly the rows of the local-mode run over the same landing data. The cluster is
stopped whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import (
    RUN_DATE, SMALL_DATA_SPARK_CONF, environment, executor_jvm_conf, gated_orders_conf, java_env,
    repository_declarations, run_daily, spark_home,
)

from lakehouse_dags import factory

#: Columns that record when or by which run a row was written (bronze's ingest time and run id,
#: carried into silver, and silver's run id): they differ between any two runs, so they are left
#: out of the comparison. Every other column must match.
VOLATILE_COLUMNS = {"_ingested_at", "_run_id", "_silver_run_id"}

WORKERS = 2


@dataclass
class Cluster:
    master_url: str
    ui_url: str
    logs: Path

    def state(self) -> dict:
        with urllib.request.urlopen(f"{self.ui_url}/json/", timeout=5) as response:
            return json.load(response)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    # A session of its own: stopping the process group also stops the executors a worker forked.
    return subprocess.Popen(
        command, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env, start_new_session=True
    )


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    work = tmp_path_factory.mktemp("spark-cluster")
    spark_class = str(spark_home() / "bin" / "spark-class")
    env = java_env()
    env["SPARK_LOG_DIR"] = str(work / "logs")
    port, ui_port = free_port(), free_port()
    master_url = f"spark://127.0.0.1:{port}"
    processes: list[subprocess.Popen] = []
    try:
        processes.append(start(
            [spark_class, "org.apache.spark.deploy.master.Master",
             "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui_port)],
            work / "master.log", env,
        ))
        for index in range(WORKERS):
            worker_dir = work / f"worker-{index}"
            worker_dir.mkdir()
            processes.append(start(
                [spark_class, "org.apache.spark.deploy.worker.Worker",
                 "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                 "--webui-port", str(free_port()), "--work-dir", str(worker_dir), master_url],
                work / f"worker-{index}.log", env,
            ))
        cluster = Cluster(master_url, f"http://127.0.0.1:{ui_port}", work)
        _wait_for_workers(cluster, processes)
        yield cluster
    finally:
        stop(processes)


def _wait_for_workers(cluster: Cluster, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 120
    last = None
    while time.monotonic() < deadline:
        dead = [p.args[1] for p in processes if p.poll() is not None]
        assert not dead, f"{dead} exited early; logs in {cluster.logs}"
        try:
            last = cluster.state()
            if last.get("aliveworkers") == WORKERS and last.get("status") == "ALIVE":
                return
        except OSError:
            pass
        time.sleep(1)
    pytest.fail(f"the standalone cluster did not get {WORKERS} workers in time: {last}; logs in {cluster.logs}")


@pytest.fixture(scope="module")
def cluster_run(cluster, dagbag, airflow_db, jar, sample, local_run, tmp_path_factory):
    lake = tmp_path_factory.mktemp("lake-cluster")
    host, port = cluster.master_url.rsplit(":", 1)
    return run_daily(
        dagbag, jar, sample, lake,
        {"conn_type": "spark", "host": host, "port": int(port), "extra": {"deploy-mode": "client"}},
        # One 1-core executor on each worker.
        {"spark.executor.memory": "512m", "spark.executor.cores": "1", "spark.cores.max": str(WORKERS),
         **executor_jvm_conf()},
    )


def test_every_job_ran_as_an_application_of_the_cluster(cluster, cluster_run):
    all_states = cluster_run.task_states()
    # Every task submits an application (the jobs and the report) but the watcher: nothing failed,
    # so it was skipped.
    assert all_states.get(factory.WATCHER_TASK) == "skipped", all_states
    states = {task: state for task, state in all_states.items() if task != factory.WATCHER_TASK}
    assert states and all(state == "success" for state in states.values()), f"task states on the cluster: {all_states}"
    assert cluster_run.report_page().is_file(), f"the report task wrote no {cluster_run.report_page()}"
    # Nothing but the cluster run submits to this master: one application per spark-submit,
    # each with executors on the workers.
    master = cluster.state()
    applications = master["completedapps"] + master["activeapps"]
    assert len(applications) >= len(states), (
        f"{len(states)} jobs ran but the master saw {len(applications)} applications: "
        f"{[app['name'] for app in applications]}"
    )
    # Each worker keeps a folder per application it ran executors for.
    for index in range(WORKERS):
        executed = sorted(p.name for p in (cluster.logs / f"worker-{index}").glob("app-*"))
        assert executed, f"worker {index} ran no executor; logs in {cluster.logs}"


def test_cluster_tables_hold_exactly_the_rows_of_the_local_run(cluster_run, local_run, spark):
    decls = repository_declarations()
    compared = []
    for job in decls.daily_jobs():
        local_path = local_run.lake / job.layer / job.name
        cluster_path = cluster_run.lake / job.layer / job.name
        assert (local_path / "_delta_log").is_dir(), f"the local run did not write {job.writes}"
        assert (cluster_path / "_delta_log").is_dir(), f"the cluster run did not write {job.writes}"
        local = spark.read.format("delta").load(str(local_path))
        remote = spark.read.format("delta").load(str(cluster_path))
        assert remote.schema == local.schema, f"{job.writes}: schemas differ"
        kept = [c for c in local.columns if c not in VOLATILE_COLUMNS]
        local, remote = local.select(*kept), remote.select(*kept)
        only_local = local.exceptAll(remote).limit(5).collect()
        only_cluster = remote.exceptAll(local).limit(5).collect()
        assert not only_local and not only_cluster, (
            f"{job.writes}: rows differ between local mode and the cluster\n"
            f"only in the local run: {only_local}\nonly in the cluster run: {only_cluster}"
        )
        compared.append((job.writes, local.count()))
    assert compared and all(count > 0 for _, count in compared), compared


def test_cluster_deploy_mode_outcomes_reach_the_operator(cluster, jar, local_run, tmp_path):
    """spark-submit --deploy-mode cluster reports only the application's final state; the
    operator must still tell success, a configuration error and a failed quality gate (no retry)
    and an unexpected failure (retried) apart, from the result file the driver wrote."""
    from airflow.sdk.exceptions import AirflowException, AirflowFailException

    from lakehouse_dags.operator import LakehouseJobOperator

    lake = tmp_path / "lake"
    shutil.copytree(local_run.lake / "bronze", lake / "bronze")  # silver has all of it to check
    conf = gated_orders_conf(tmp_path)
    host, port = cluster.master_url.rsplit(":", 1)
    settings = {
        "AIRFLOW_CONN_SPARK_CLUSTER_MODE": json.dumps(
            {"conn_type": "spark", "host": host, "port": int(port), "extra": {"deploy-mode": "cluster"}}
        ),
        "AIRFLOW_VAR_LAKEHOUSE_JAR": str(jar),
        "AIRFLOW_VAR_LAKEHOUSE_ENV": "local",
        "AIRFLOW_VAR_LAKEHOUSE_CONF": json.dumps(
            {"lakehouse.lake-root": str(lake), "lakehouse.landing-root": str(local_run.landing)}
        ),
        # The driver takes the core of one worker, the one executor the other's.
        "AIRFLOW_VAR_LAKEHOUSE_SPARK_CONF": json.dumps({
            **SMALL_DATA_SPARK_CONF, "spark.standalone.submit.waitAppCompletion": "true",
            "spark.driver.memory": "512m", "spark.driver.cores": "1", "spark.executor.memory": "512m",
            "spark.executor.cores": "1", "spark.cores.max": "1", **executor_jvm_conf(),
        }),
        "AIRFLOW_VAR_LAKEHOUSE_RESULT_ROOT": str(tmp_path / "results"),
        "SPARK_HOME": str(spark_home()),
    }

    def task(name: str, *command: str) -> LakehouseJobOperator:
        return LakehouseJobOperator(task_id=name, command=list(command), writes=name,
                                    parse_conf_dir=conf, conn_id="spark_cluster_mode")

    drivers_before = len(cluster.state().get("completeddrivers", []))
    with environment(settings):
        task("tables", "tables").execute({})
        with pytest.raises(AirflowFailException, match=r"exited with code 2 \(usage"):
            task("bad_setting", "tables", "--conf", "lakehouse.no-such-setting=1").execute({})
        with pytest.raises(AirflowFailException, match=r"exited with code 3 \(quality gate"):
            task("silver_orders", "run", "silver", "--table", "orders", "--date", RUN_DATE).execute({})
        with pytest.raises(AirflowException, match="exited with code 1") as raised:
            task("boom", "sql", "SELECT raise_error('boom')").execute({})
        assert not isinstance(raised.value, AirflowFailException), "an unexpected failure is retried"
    drivers = cluster.state().get("completeddrivers", [])[drivers_before:]
    assert len(drivers) >= 4, f"each command ran as a driver on the cluster: {drivers}"
    states = sorted(driver["state"] for driver in drivers)
    assert states.count("FINISHED") >= 1 and states.count("FAILED") >= 3, states
