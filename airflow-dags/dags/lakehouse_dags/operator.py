"""One lakehouse job as one ``spark-submit`` of the application jar."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Sequence

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import BaseOperator, TriggerRule
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from lakehouse_dags.settings import MAIN_CLASS, RuntimeSettings, SettingsError, report_root

#: The jar's documented exit codes (lakehouse.common.ExitCode).
EXIT_JOB_FAILED = 1
EXIT_USAGE = 2
EXIT_QUALITY_GATE = 3
EXIT_DATA_ERROR = 4

# A rerun cannot change the outcome of these: fail the task at once instead of retrying.
_NOT_RETRIED = {
    EXIT_USAGE: "usage or configuration error",
    EXIT_QUALITY_GATE: "quality gate failed; the gate's report is in the log above",
    EXIT_DATA_ERROR: "data error",
}
_ERROR_CODE = re.compile(r"Error code is: (-?\d+)")


def pool_name(group: str) -> str:
    """The one-slot pool of a writer group (see ``Declarations.writer_groups``), named after
    the group's key table: every writer of those tables, in any DAG, runs in that pool."""
    return f"lakehouse:{group}"


class LakehouseJobOperator(SparkSubmitOperator):
    """Runs ``spark-submit --class lakehouse.app.LakehouseCli JAR COMMAND... [common options]``.

    The jar, environment, configuration directory, ``--conf`` overrides and extra Spark
    properties are resolved from Airflow Variables when the task starts (see
    ``lakehouse_dags.settings``); the master and deploy mode come from the Spark connection.

    Exit code 1 (job failed, e.g. a lost executor) is retried; 2, 3 and 4 fail the task without
    retries because a rerun of the same input gives the same answer.

    :param command: the lakehouse command and its own arguments, e.g.
        ``["run", "bronze", "--source", "orders", "--date", "{{ ... }}"]`` (templated)
    :param writes: the table the job writes (``layer.name``), for messages; pass the
        single-writer ``pool`` of its writer group (``pool_name``)
    :param parse_conf_dir: the configuration directory the DAG was generated from
    """

    template_fields: Sequence[str] = (*SparkSubmitOperator.template_fields, "command")
    ui_color = "#e8f1fa"

    def __init__(self, *, command: Sequence[str], writes: str, parse_conf_dir: str | Path,
                 **kwargs: Any) -> None:
        kwargs.setdefault("java_class", MAIN_CLASS)
        super().__init__(**kwargs)
        self.command = list(command)
        self.writes = writes
        self.parse_conf_dir = str(parse_conf_dir)

    def execute(self, context: Any) -> None:
        try:
            settings = RuntimeSettings.resolve(Path(self.parse_conf_dir))
        except SettingsError as error:
            raise AirflowFailException(str(error)) from error
        self.application = settings.jar
        self.application_args = [*self.command, *settings.cli_args()]
        self.conf = {**self._logging_conf(settings.conf_dir), **settings.spark_conf, **(self.conf or {})}
        self._hook = None  # a retry in the same process must see this attempt's settings
        try:
            super().execute(context)
        except AirflowException as error:
            code = self._exit_code(error)
            reason = _NOT_RETRIED.get(code)
            if reason is not None:
                raise AirflowFailException(
                    f"{self.writes}: {' '.join(self.command)} exited with code {code} ({reason})"
                ) from error
            raise

    def _exit_code(self, error: Exception) -> int | None:
        process = getattr(self._hook, "_submit_sp", None)
        if process is not None and process.returncode is not None:
            return process.returncode
        match = _ERROR_CODE.search(str(error))
        return int(match.group(1)) if match else None

    @staticmethod
    def _logging_conf(conf_dir: str) -> dict[str, str]:
        """The project's log4j2 settings for the driver, when the conf dir holds them locally.

        They keep Spark's INFO chatter out of the task log, so the job's own report reads well.
        """
        log4j = Path(conf_dir) / "log4j2.properties"
        if "://" in conf_dir or not log4j.is_file():
            return {}
        return {"spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{os.path.abspath(log4j)}"}


class TrainingSetOperator(LakehouseJobOperator):
    """Builds one declared training set when the run's ``spec`` param names it, else skips.

    One task per declared spec, so each runs in the single-writer pool of its own output table.
    The ``as_of`` and ``known_at`` params become ``--as-of`` and ``--known-at``.
    """

    def __init__(self, *, spec: str, **kwargs: Any) -> None:
        super().__init__(command=["training-set", "build", "--spec", spec], **kwargs)
        self.spec = spec

    def execute(self, context: Any) -> None:
        from airflow.sdk.exceptions import AirflowSkipException

        params = context["params"]
        if params.get("spec") != self.spec:
            raise AirflowSkipException(f"this run builds '{params.get('spec')}', not '{self.spec}'")
        command = ["training-set", "build", "--spec", self.spec]
        as_of = str(params.get("as_of") or "").strip()
        if as_of:
            command += ["--as-of", as_of]
        if params.get("known_at"):
            command.append("--known-at")
        self.command = command
        super().execute(context)


class ReportOperator(LakehouseJobOperator):
    """Writes the lake's HTML report: ``report --out <report root>/<folder>`` (``index.html``).

    The report root is the Variable ``lakehouse_report_root`` (see ``settings.report_root``),
    resolved when the task starts like the jar and the other settings; ``folder`` is templated
    (the run date). The command only reads the lake, so the task needs no single-writer pool.
    Exit code 2 (a bad ``--out`` or setting) fails at once, 1 is retried.

    :param folder: the folder below the report root, e.g. the run date (templated)
    """

    template_fields: Sequence[str] = (*LakehouseJobOperator.template_fields, "folder")

    def __init__(self, *, folder: str, **kwargs: Any) -> None:
        kwargs.setdefault("writes", "the lake report")
        super().__init__(command=["report", "--out", folder], **kwargs)
        self.folder = folder

    def execute(self, context: Any) -> None:
        try:
            root = report_root()
        except SettingsError as error:
            raise AirflowFailException(str(error)) from error
        self.command = ["report", "--out", os.path.join(root, self.folder)]
        super().execute(context)


class FailedJobWatcher(BaseOperator):
    """Fails the DAG run when a task it watches failed or could not run (``upstream_failed``).

    A task that runs whatever happened before it (``trigger_rule=all_done``, such as the report)
    is a leaf of the graph, and Airflow decides a run's state from its leaves: without this task,
    a run whose quality gate failed would end ``success`` once the report was written. The
    watcher is downstream of every job with ``trigger_rule=one_failed``: it is skipped when all of
    them succeed and fails, naming them, when one did not. It runs no Spark and needs no pool.
    """

    ui_color = "#fbe9e7"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trigger_rule", TriggerRule.ONE_FAILED)
        kwargs.setdefault("retries", 0)
        super().__init__(**kwargs)

    def execute(self, context: Any) -> None:
        ti = context["ti"]
        states = ti.get_task_states(
            dag_id=ti.dag_id, task_ids=sorted(self.upstream_task_ids), run_ids=[ti.run_id]
        ).get(ti.run_id, {})
        not_done = {
            task: str(state) for task, state in sorted(states.items()) if str(state) in ("failed", "upstream_failed")
        }
        raise AirflowFailException(
            "this run's jobs did not all succeed: "
            + (", ".join(f"{task} {state}" for task, state in not_done.items()) or "see the failed tasks")
        )
