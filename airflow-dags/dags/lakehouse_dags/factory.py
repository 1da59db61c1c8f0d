"""Builds the lakehouse DAGs from the declarations of one configuration directory.

The DAG files are one line each (``build_daily(load(...))``); everything that decides their
shape is here, so tests build the same DAGs from a temporary ``conf/``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.sdk import (
    DAG,
    CronDataIntervalTimetable,
    CronTriggerTimetable,
    Param,
    TaskGroup,
    TriggerRule,
    conf,
)

from lakehouse_dags.declarations import RUN_HISTORY, Declarations, Job
from lakehouse_dags.operator import (
    FailedJobWatcher,
    LakehouseJobOperator,
    ReportOperator,
    TrainingSetOperator,
    pool_name,
)
from lakehouse_dags.settings import SECTION, spark_conn_id

OWNER = "data-platform"
TAGS = ["lakehouse", "spark", "delta"]
#: The run date every daily job gets: the day the run's data interval covers.
RUN_DATE = "{{ data_interval_start.strftime('%Y-%m-%d') }}"
#: The daily DAG's last tasks: the lake report, and the watcher that fails a run whose jobs failed.
REPORT_TASK = "report"
WATCHER_TASK = "watcher"
FOLD_TASK = "fold_runs"

_LAYER_ARGS = {"bronze": "--source", "silver": "--table", "gold": "--feature-set"}


def default_args() -> dict[str, object]:
    """Retries with a delay: a lost executor or a flaky object store deserves another try. Every
    task has a timeout (``[lakehouse] task_timeout_seconds``, default 6 hours): a hung job fails
    and is retried instead of holding its table's single-writer pool for ever."""
    return {
        "owner": OWNER,
        "execution_timeout": timedelta(seconds=conf.getint(SECTION, "task_timeout_seconds", fallback=6 * 3600)),
        "retries": conf.getint(SECTION, "retries", fallback=2),
        "retry_delay": timedelta(seconds=conf.getint(SECTION, "retry_delay_seconds", fallback=300)),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(hours=1),
    }


def _start_date() -> datetime:
    value = conf.get(SECTION, "start_date", fallback="2024-01-01")
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def _job_task(job: Job, decls: Declarations, task_id: str) -> LakehouseJobOperator:
    return LakehouseJobOperator(
        task_id=task_id,
        command=["run", job.layer, _LAYER_ARGS[job.layer], job.name, "--date", RUN_DATE],
        writes=job.writes,
        pool=pool_name(decls.group_of(job.writes)),
        parse_conf_dir=decls.conf_dir,
        conn_id=spark_conn_id(),
        name=f"lakehouse-{job.layer}-{job.name}-{RUN_DATE}",
        doc_md=f"`{job.layer}` job of `{job.file.name}`: writes `{job.writes}`"
        + (f", reads {', '.join(f'`{t}`' for t in job.reads)}" if job.reads else "") + ".",
    )


def build_daily(decls: Declarations) -> DAG:
    """``lakehouse_daily``: bronze -> silver -> gold for the day that just ended, then the report."""
    with DAG(
        dag_id="lakehouse_daily",
        description="Daily lakehouse pipeline: bronze -> silver -> gold, one spark-submit per job, "
        "then the HTML report",
        # A data-interval timetable: the run that starts after midnight UTC processes the day
        # that just ended (data_interval_start is that day).
        schedule=CronDataIntervalTimetable(conf.get(SECTION, "daily_cron", fallback="0 0 * * *"), timezone="UTC"),
        start_date=_start_date(),
        catchup=False,
        # One run at a time: two runs would write the same Delta tables concurrently.
        max_active_runs=1,
        default_args=default_args(),
        tags=[*TAGS, "daily"],
        doc_md=_DAILY_DOC.format(conf_dir=decls.conf_dir),
    ) as dag:
        tasks: dict[str, LakehouseJobOperator] = {}
        for layer, jobs in (("bronze", decls.bronze), ("silver", decls.silver), ("gold", decls.gold)):
            if not jobs:
                continue
            with TaskGroup(group_id=layer, tooltip=f"{layer} jobs"):
                for job in jobs:
                    tasks[job.writes] = _job_task(job, decls, job.name)
        for job in decls.daily_jobs():
            for table in job.reads:
                writer = decls.writer_of(table)
                if writer is not None and writer is not job:
                    tasks[writer.writes] >> tasks[job.writes]
        # Every job is a direct upstream, not only the last ones: a gold task ends upstream_failed
        # as soon as one silver task fails, while the other silver tasks may still be running.
        job_tasks = list(tasks.values())
        report = _report_task(decls)
        job_tasks >> report
        if job_tasks:
            job_tasks >> _fold_task(decls) >> report
        if job_tasks:
            job_tasks >> FailedJobWatcher(
                task_id=WATCHER_TASK,
                doc_md="Skipped when every job of the run succeeded; fails, naming them, when one "
                "failed or could not run, so the run's state is not the report's.",
            )
    return dag


def _fold_task(decls: Declarations) -> LakehouseJobOperator:
    """``runs --fold``: the run records the run's jobs wrote (each its own object) into the run
    history table, whatever the jobs' outcome. Its one writer, in the run history's pool."""
    return LakehouseJobOperator(
        task_id=FOLD_TASK,
        command=["runs", "--fold"],
        writes=RUN_HISTORY,
        trigger_rule=TriggerRule.ALL_DONE,
        pool=pool_name(decls.group_of(RUN_HISTORY)),
        parse_conf_dir=decls.conf_dir,
        conn_id=spark_conn_id(),
        name=f"lakehouse-fold-runs-{RUN_DATE}",
        doc_md=f"`runs --fold`: moves the finished runs' records into `{RUN_HISTORY}` "
        "(readers see unfolded records too; this keeps the table complete for SQL).",
    )


def _report_task(decls: Declarations) -> ReportOperator:
    """The lake report of the run's day, written whatever the jobs' outcome (all_done): after a
    failed quality gate it is what one wants to look at. It only reads, so it takes no
    single-writer pool slot (Airflow's default pool)."""
    return ReportOperator(
        task_id=REPORT_TASK,
        folder=RUN_DATE,
        trigger_rule=TriggerRule.ALL_DONE,
        parse_conf_dir=decls.conf_dir,
        conn_id=spark_conn_id(),
        name=f"lakehouse-report-{RUN_DATE}",
        doc_md="`report --out <lakehouse_report_root>/<run date>`: the lake's HTML report "
        "(`index.html`) after every job of the run, failed ones included.",
    )


def build_training_set(decls: Declarations) -> DAG:
    """``lakehouse_training_set``: builds one declared training set, triggered by hand."""
    specs = [job.name for job in decls.training]
    with DAG(
        dag_id="lakehouse_training_set",
        description="Build a point-in-time training set (trigger with params)",
        schedule=None,
        start_date=_start_date(),
        catchup=False,
        max_active_runs=1,
        default_args=default_args(),
        tags=[*TAGS, "training"],
        params={
            "spec": Param(
                specs[0] if specs else "",
                type="string",
                enum=specs or [""],
                description="The training set declared in conf/training/<spec>.conf",
            ),
            "as_of": Param(
                "",
                type="string",
                description="Read the inputs as they were at this timestamp (e.g. "
                "2024-03-01T00:00:00Z), and/or pin tables to Delta versions with TABLE=VERSION "
                "(e.g. gold.customer_features=12; several separated by spaces); empty: latest",
            ),
            "known_at": Param(
                False,
                type="boolean",
                description="Known-at mode: a feature value counts only if it had been committed "
                "by the spine row's event time",
            ),
        },
        doc_md=_TRAINING_DOC,
    ) as dag:
        for job in decls.training:
            TrainingSetOperator(
                task_id=f"build_{job.name}",
                spec=job.name,
                writes=job.writes,
                pool=pool_name(decls.group_of(job.writes)),
                parse_conf_dir=decls.conf_dir,
                conn_id=spark_conn_id(),
                name=f"lakehouse-training-{job.name}",
                doc_md=f"Builds `{job.name}` ({job.file.name}) into `{job.writes}` "
                "when the run's `spec` param names it; skipped otherwise.",
            )
    return dag


def build_maintenance(decls: Declarations) -> DAG:
    """``lakehouse_maintenance``: weekly OPTIMIZE, then a guarded VACUUM, of every table."""
    with DAG(
        dag_id="lakehouse_maintenance",
        description="Weekly Delta maintenance of every table: optimize, then guarded vacuum",
        schedule=CronTriggerTimetable(conf.get(SECTION, "maintenance_cron", fallback="0 3 * * 0"), timezone="UTC"),
        start_date=_start_date(),
        catchup=False,
        max_active_runs=1,
        default_args=default_args(),
        tags=[*TAGS, "maintenance"],
        doc_md=_MAINTENANCE_DOC,
    ) as dag:
        # One optimize -> vacuum pair per writer group, in that group's single-writer pool: the
        # maintenance of one group never waits for, nor blocks, the writers of another.
        for key, members in decls.writer_groups().items():
            tables = [arg for table in members for arg in ("--table", table)]
            group = re.sub(r"[^A-Za-z0-9_]+", "_", key)
            common = dict(writes=", ".join(members), pool=pool_name(key),
                          parse_conf_dir=decls.conf_dir, conn_id=spark_conn_id())
            optimize = LakehouseJobOperator(
                task_id=f"optimize_{group}",
                command=["maintenance", "optimize", "--if-exists", *tables],
                name=f"lakehouse-maintenance-optimize-{group}",
                doc_md=f"Compacts the small files of {', '.join(members)} (Delta OPTIMIZE).",
                **common,
            )
            vacuum = LakehouseJobOperator(
                task_id=f"vacuum_{group}",
                command=["maintenance", "vacuum", "--if-exists", *tables],
                name=f"lakehouse-maintenance-vacuum-{group}",
                doc_md=f"Removes the files of {', '.join(members)} no longer needed (Delta "
                "VACUUM). Guarded by the jar: files that table versions read by recent training "
                "sets need are kept, and a plan that would remove them is refused (exit code 2: "
                "the task fails, nothing is deleted).",
                **common,
            )
            optimize >> vacuum
    return dag


_DAILY_DOC = """
### lakehouse_daily

Runs every declared job for the day that just ended (`data_interval_start`), one
`spark-submit --class lakehouse.app.LakehouseCli` per job, generated from `{conf_dir}`:

* **bronze**: one task per `conf/sources/*.conf` (`run bronze --source NAME --date D`)
* **silver**: one task per `conf/tables/*.conf`, after the bronze task of its `source`
* **gold**: one task per `conf/features/*.conf`, after the silver tasks of its `sources`
* **fold_runs**: after all of them, whatever their outcome: `runs --fold` moves the run records
  the jobs wrote (one object per run, at start and end) into `_ops.runs`, its one writer
* **report**: after all of them, whatever their outcome (`trigger_rule=all_done`):
  `report --out <lakehouse_report_root>/<run date>` writes the lake's HTML report (`index.html`)
* **watcher**: skipped when every job succeeded; fails the run when one did not (the report
  alone would otherwise decide the run's state)

A failed quality gate (exit code 3) fails that table's silver task at once (no retries) and its
downstream gold tasks do not run; the gate's report is in the task log, and the run's HTML
report is written all the same. Exit codes 2 and 4 also fail without retries; exit code 1 is
retried.

Settings: Spark connection `spark_lakehouse` (master, deploy mode), Variables `lakehouse_jar`
(required), `lakehouse_env`, `lakehouse_conf_dir`, `lakehouse_conf`, `lakehouse_spark_conf`,
`lakehouse_report_root` (an absolute path where the driver runs; default
`$AIRFLOW_HOME/lakehouse-reports`).
Every job runs in the one-slot pool of the tables it writes (`lakehouse:<table>`; jobs that
share a table, such as silver's quality metrics, share the pool): one writer per Delta table,
across DAGs, runs and backfills; jobs of different pools run side by side. The report and the watcher write no table: they run in Airflow's
default pool.
"""

_TRAINING_DOC = """
### lakehouse_training_set

Trigger with params: `spec` (a `conf/training/*.conf`), `as_of` (optional: a timestamp the inputs
are read at, becoming `--as-of`, and/or `TABLE=VERSION` pins, each becoming `--version`) and
`known_at` (point-in-time by commit time). The task
of the chosen spec runs `training-set build --spec NAME ...`; the others are skipped.
"""

_MAINTENANCE_DOC = """
### lakehouse_maintenance

Weekly, per writer group: `maintenance optimize --table ...`, then `maintenance vacuum --table
...` of the group's tables, in the group's single-writer pool (tables not written yet are
skipped and named). The vacuum is guarded by the jar: it keeps every file that the table
versions read by training sets built within `lakehouse.maintenance.reproducibility-window` need,
and refuses (exit code 2, nothing deleted) a retention that would remove them. Tables no
declaration names (made through `sql`, say) are not maintained by the DAG.
"""
