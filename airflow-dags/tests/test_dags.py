"""The DAGs as Airflow parses them: no import errors, the agreed defaults, the task graph."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import DAGS, REPOSITORY_CONF, repository_declarations

from lakehouse_dags import declarations, factory, pools
from lakehouse_dags.operator import FailedJobWatcher, LakehouseJobOperator, ReportOperator, pool_name

#: The daily DAG's tasks that write no table: the report and the watcher.
READERS = {factory.REPORT_TASK, factory.WATCHER_TASK}


def job_tasks(dag) -> list:
    """The job tasks of a DAG (every task but the daily report, watcher and run-history fold)."""
    return [task for task in dag.tasks if task.task_id not in READERS | {factory.FOLD_TASK}]

DAG_IDS = {"lakehouse_daily", "lakehouse_training_set", "lakehouse_maintenance"}


# --- the DAG files over the repository's conf/ -------------------------------------------------


def test_every_dag_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}, f"import errors: {dagbag.import_errors}"
    assert set(dagbag.dag_ids) == DAG_IDS


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_every_dag_has_tags_owner_retries_and_one_active_run(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert "lakehouse" in dag.tags, dag.tags
    assert dag.max_active_runs == 1
    assert dag.doc_md and dag_id in dag.doc_md
    for task in dag.tasks:
        assert task.owner == factory.OWNER, task.task_id
        assert task.execution_timeout and task.execution_timeout > timedelta(0), task.task_id
    for task in job_tasks(dag):
        assert task.retries >= 2, task.task_id
        assert task.retry_delay > timedelta(0), task.task_id
        assert task.pool.startswith("lakehouse:"), task.task_id


def test_daily_dag_has_one_task_per_declaration_of_the_repository(dagbag):
    dag = dagbag.dags["lakehouse_daily"]
    decls = repository_declarations()
    expected = {f"{job.layer}.{job.name}" for job in decls.daily_jobs()}
    assert set(dag.task_dict) == expected | READERS | {factory.FOLD_TASK}
    sources = {p.stem for p in (REPOSITORY_CONF / "sources").glob("*.conf")}
    assert {t.split(".", 1)[1] for t in dag.task_dict if t.startswith("bronze.")} == sources


def test_daily_schedule_is_a_data_interval_over_the_day_that_ended(dagbag):
    from airflow.sdk import CronDataIntervalTimetable

    dag = dagbag.dags["lakehouse_daily"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    task = next(iter(dag.tasks), None)
    if task is not None:
        assert factory.RUN_DATE in task.command
        assert "data_interval_start" in factory.RUN_DATE


def test_default_retry_delay_without_configuration(monkeypatch):
    monkeypatch.delenv("AIRFLOW__LAKEHOUSE__RETRY_DELAY_SECONDS", raising=False)
    args = factory.default_args()
    assert args["retries"] == 2
    assert args["retry_delay"] == timedelta(minutes=5)


# --- the graph, built from a temporary conf/ ---------------------------------------------------


def write(conf: Path, relative: str, text: str) -> None:
    path = conf / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def write_conf(folder: Path) -> Path:
    """A small conf/: three sources, two silver tables, one feature set, one training set."""
    conf = folder / "conf"
    conf.mkdir()
    shutil.copy(REPOSITORY_CONF / "application.conf", conf / "application.conf")
    write(conf, "sources/orders.conf", 'format = json\nlocation = ${lakehouse.landing-root}"/orders"\n')
    write(conf, "sources/customers.conf", "format = csv\n")
    write(conf, "sources/events.conf", "format = json\n")
    write(conf, "tables/orders.conf", "source = bronze.orders\nhistory = latest\n")
    write(conf, "tables/customers.conf", 'source = "bronze.customers"\nhistory = scd2\n')
    write(
        conf,
        "features/customer_features.conf",
        "entity = customer_id\nsources {\n  orders { table = silver.orders }\n"
        "  customers { table = silver.customers, type = scd2 }\n}\n",
    )
    write(
        conf,
        "training/churn.conf",
        "spine { table = silver.customers, keys = [customer_id], event-time = ts }\n"
        "features = [ { table = gold.customer_features, ttl = 30 days } ]\n",
    )
    return conf


@pytest.fixture()
def conf(tmp_path) -> Path:
    """write_conf() for a test that changes it."""
    return write_conf(tmp_path)


@pytest.fixture(scope="module")
def shared_conf(tmp_path_factory) -> Path:
    """write_conf() for the tests that change nothing in it."""
    return write_conf(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def decls(shared_conf):
    """The declarations of shared_conf, loaded once for the tests that only read them: every
    declarations.load() parses each HOCON file again, about a second of CPU."""
    return declarations.load(shared_conf)


def upstream(dag, task_id: str) -> set[str]:
    return set(dag.task_dict[task_id].upstream_task_ids)


def test_daily_graph_follows_what_each_job_reads(decls):
    dag = factory.build_daily(decls)
    assert set(dag.task_dict) == {
        "bronze.customers", "bronze.events", "bronze.orders",
        "silver.customers", "silver.orders", "gold.customer_features",
        "fold_runs", "report", "watcher",
    }
    assert upstream(dag, "bronze.orders") == set()
    assert upstream(dag, "silver.orders") == {"bronze.orders"}
    assert upstream(dag, "silver.customers") == {"bronze.customers"}
    assert upstream(dag, "gold.customer_features") == {"silver.orders", "silver.customers"}
    # bronze.events feeds nothing declared yet: it runs, and only the report and watcher wait for it.
    assert dag.task_dict["bronze.events"].downstream_task_ids == READERS | {factory.FOLD_TASK}


def test_daily_tasks_run_the_cli_with_the_run_date(decls):
    dag = factory.build_daily(decls)
    bronze = dag.task_dict["bronze.orders"]
    assert isinstance(bronze, LakehouseJobOperator)
    assert bronze.command == ["run", "bronze", "--source", "orders", "--date", factory.RUN_DATE]
    assert dag.task_dict["silver.orders"].command[:4] == ["run", "silver", "--table", "orders"]
    assert dag.task_dict["gold.customer_features"].command[:4] == [
        "run", "gold", "--feature-set", "customer_features",
    ]
    assert bronze._java_class == "lakehouse.app.LakehouseCli"
    assert bronze._conn_id == "spark_lakehouse"


def test_the_report_runs_last_whatever_the_jobs_outcome(decls):
    dag = factory.build_daily(decls)
    report = dag.task_dict[factory.REPORT_TASK]
    jobs = {task.task_id for task in job_tasks(dag)}
    assert isinstance(report, ReportOperator)
    # Every job directly, not only the last ones: all_done only waits for direct upstreams.
    assert set(report.upstream_task_ids) == jobs | {factory.FOLD_TASK}
    assert report.downstream_task_ids == set()
    assert report.trigger_rule == "all_done"
    assert report.command == ["report", "--out", factory.RUN_DATE]
    assert report.folder == factory.RUN_DATE
    assert report._java_class == "lakehouse.app.LakehouseCli"
    assert report._conn_id == "spark_lakehouse"
    # It only reads the lake: no single-writer slot, so it never waits for (or blocks) a writer.
    assert report.pool == "default_pool"
    assert report.retries >= 2


def test_the_watcher_fails_the_run_when_a_job_did_not_succeed(decls):
    dag = factory.build_daily(decls)
    watcher = dag.task_dict[factory.WATCHER_TASK]
    assert isinstance(watcher, FailedJobWatcher)
    assert set(watcher.upstream_task_ids) == {task.task_id for task in job_tasks(dag)}
    assert watcher.trigger_rule == "one_failed"
    assert watcher.pool == "default_pool"
    assert watcher.retries == 0
    # The run's state is decided by its leaves: the report and the watcher, never the report alone.
    leaves = {task.task_id for task in dag.tasks if not task.downstream_task_ids}
    assert leaves == READERS


def test_a_conf_without_daily_jobs_still_reports_and_has_no_watcher(conf):
    for folder in ("sources", "tables", "features"):
        for path in (conf / folder).glob("*.conf"):
            path.unlink()
    dag = factory.build_daily(declarations.load(conf))
    # A watcher without upstream would run at once and fail every run.
    assert set(dag.task_dict) == {factory.REPORT_TASK}


def test_a_new_source_file_becomes_a_task_without_editing_python(conf):
    before = factory.build_daily(declarations.load(conf))
    assert "bronze.returns" not in before.task_dict
    write(conf, "sources/returns.conf", "format = csv\n")
    write(conf, "tables/returns.conf", "source = bronze.returns\n")
    changed = declarations.load(conf)
    after = factory.build_daily(changed)
    assert upstream(after, "silver.returns") == {"bronze.returns"}
    assert "lakehouse:_ops.runs" in pools.required_pools(changed)


def test_jobs_that_write_different_tables_run_in_different_pools(decls):
    # A job writes its run record as an object of its own: the run history is no shared target.
    daily = factory.build_daily(decls)
    training = factory.build_training_set(decls)
    required = pools.required_pools(decls)
    bronze = {daily.task_dict[f"bronze.{name}"].pool for name in ("orders", "customers", "events")}
    assert len(bronze) == 3, bronze
    assert daily.task_dict["bronze.orders"].pool == "lakehouse:bronze.orders"
    # Each silver table keeps its own quarantine and metrics: silver jobs run side by side too.
    assert daily.task_dict["silver.orders"].pool == "lakehouse:silver.orders"
    assert daily.task_dict["silver.customers"].pool == "lakehouse:silver.customers"
    assert daily.task_dict["bronze.orders"].pool != daily.task_dict["silver.orders"].pool
    assert training.task_dict["build_churn"].pool == "lakehouse:gold.training_churn"
    assert daily.task_dict[factory.FOLD_TASK].pool == "lakehouse:_ops.runs"
    assert daily.task_dict[factory.FOLD_TASK].command == ["runs", "--fold"]
    assert not daily.task_dict[factory.FOLD_TASK].records_run
    assert daily.task_dict["bronze.orders"].records_run
    for dag in (daily, training):
        for task in job_tasks(dag):
            assert task.pool in required, f"{dag.dag_id}.{task.task_id} runs in an undeclared pool {task.pool}"
    assert {pool["slots"] for pool in required.values()} == {1}


def test_writer_groups_join_jobs_that_share_a_table(decls):
    groups = decls.writer_groups()
    assert groups["silver.orders"] == (
        "silver.orders", "silver.orders_quality_metrics", "silver.orders_quarantine",
    )
    # A group is named after the table its job is declared to write, not a side table.
    assert groups["bronze.orders"] == ("_ops.bronze_files_orders", "bronze.orders", "bronze.orders_rejects")
    # Every build appends its manifest: the builds share the manifests' group.
    assert groups["gold.training_churn"] == ("gold._training_sets", "gold.training_churn")
    assert groups["_ops.runs"] == ("_ops.runs",)
    # Each gold set keeps its own registry table: gold jobs run side by side too.
    assert groups["gold.customer_features"] == (
        "gold._feature_drift_customer_features", "gold._feature_profiles_customer_features",
        "gold._feature_registry_customer_features", "gold.customer_features",
    )


def test_maintenance_optimizes_then_vacuums_each_writer_group_in_its_pool(decls):
    dag = factory.build_maintenance(decls)
    groups = decls.writer_groups()
    assert len(dag.task_dict) == 2 * len(groups)
    optimize = dag.task_dict["optimize_bronze_orders"]
    tables = optimize.command[optimize.command.index("--if-exists") + 1:]
    assert optimize.command[:3] == ["maintenance", "optimize", "--if-exists"]
    assert tables[0::2] == ["--table"] * len(groups["bronze.orders"])
    assert tuple(tables[1::2]) == groups["bronze.orders"]
    assert optimize.pool == "lakehouse:bronze.orders"
    assert upstream(dag, "vacuum_bronze_orders") == {"optimize_bronze_orders"}
    assert dag.task_dict["vacuum_bronze_orders"].command[:3] == ["maintenance", "vacuum", "--if-exists"]
    assert {task.pool for task in dag.tasks} == set(pools.required_pools(decls))


def test_training_dag_is_manual_with_params_and_one_task_per_spec(conf):
    write(conf, "training/upsell.conf", "features = [ { table = gold.customer_features } ]\noutput = gold.upsell_set\n")
    dag = factory.build_training_set(declarations.load(conf))
    from airflow.sdk.definitions.timetables.simple import NullTimetable

    assert isinstance(dag.timetable, NullTimetable), dag.timetable
    assert set(dag.task_dict) == {"build_churn", "build_upsell"}
    assert set(dag.params.keys()) == {"spec", "as_of", "known_at"}
    assert dag.params.get_param("spec").schema["enum"] == ["churn", "upsell"]
    assert dag.task_dict["build_upsell"].pool == dag.task_dict["build_churn"].pool == "lakehouse:gold._training_sets"


def test_two_declarations_writing_one_table_are_refused(conf):
    write(conf, "training/clash.conf", "features = [ { table = gold.customer_features } ]\noutput = silver.orders\n")
    with pytest.raises(declarations.DeclarationError, match="both write silver.orders"):
        declarations.load(conf)


def test_a_malformed_declaration_names_its_file(conf):
    write(conf, "tables/broken.conf", "source = bronze.orders\ncolumns = [ { name = x \n")
    with pytest.raises(declarations.DeclarationError, match=r"tables/broken.conf: cannot be parsed"):
        declarations.load(conf)


def test_a_silver_table_without_a_source_is_refused(conf):
    write(conf, "tables/orphan.conf", "history = latest\n")
    with pytest.raises(declarations.DeclarationError, match=r"orphan.conf: 'source' is required"):
        declarations.load(conf)


def test_a_table_reference_must_be_a_table_id(conf):
    write(conf, "tables/odd.conf", "source = orders\n")
    with pytest.raises(declarations.DeclarationError, match=r"must be a table id <layer>.<name>, got 'orders'"):
        declarations.load(conf)


def test_pools_command_prints_the_pools_to_import(shared_conf, decls, capsys):
    # The command loads the folder itself; decls are the same files, loaded by the fixture.
    assert pools.main(["--conf-dir", str(shared_conf)]) == 0
    import json

    printed = json.loads(capsys.readouterr().out)
    assert printed == pools.required_pools(decls)
    assert pools.main(["--conf-dir", str(shared_conf), "--slots", "4"]) == 0
    assert {pool["slots"] for pool in json.loads(capsys.readouterr().out).values()} == {4}
    assert pools.main(["--conf-dir", str(shared_conf / "missing")]) == 2


def test_dags_folder_ignores_the_helper_package():
    assert "lakehouse_dags/" in (DAGS / ".airflowignore").read_text()
