"""One lakehouse job as one ``spark-submit`` of the application jar."""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path
from typing import Any, Sequence

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import BaseOperator, TriggerRule
from airflow.sdk.exceptions import AirflowException, AirflowFailException

from lakehouse_dags.settings import MAIN_CLASS, RuntimeSettings, SettingsError, report_root, result_root

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
#: With it, spark-submit in standalone cluster mode returns only when the driver has finished.
WAIT_APP_COMPLETION = "spark.standalone.submit.waitAppCompletion"
DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions"
#: What spark-submit adds to a client-mode driver's JVM on Java 17 (Spark 3.5's launcher
#: JavaModuleOptions; the jar's own list is the java17.opens property of the parent pom.xml).
JAVA17_MODULE_OPTIONS = " ".join(
    ["-XX:+IgnoreUnrecognizedVMOptions"]
    + [f"--add-opens=java.base/{package}=ALL-UNNAMED" for package in (
        "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
        "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
        "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")]
    + ["--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
       "-Djdk.reflect.useDirectMethodHandle=false"]
)


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

    The outcome is read from the result file the driver writes (``--result-file``, under
    ``settings.result_root``), not from spark-submit's exit code alone: in cluster deploy mode
    spark-submit reports the application's final state, not the driver's exit code. A run that
    wrote no result file failed (retried), even when spark-submit returned 0.

    :param command: the lakehouse command and its own arguments, e.g.
        ``["run", "bronze", "--source", "orders", "--date", "{{ ... }}"]`` (templated)
    :param writes: the table the job writes (``layer.name``), for messages; pass the
        single-writer ``pool`` of its writer group (``pool_name``)
    :param parse_conf_dir: the configuration directory the DAG was generated from
    A job command (``run ...``, ``training-set build|rebuild``) is recorded in the run history
    under ``--run-id <dag>.<task>.<run id>.try-<n>``; the other commands record no run.
    """

    template_fields: Sequence[str] = (*SparkSubmitOperator.template_fields, "command")
    ui_color = "#e8f1fa"

    def __init__(self, *, command: Sequence[str], writes: str, parse_conf_dir: str | Path,
                 **kwargs: Any) -> None:
        kwargs.setdefault("java_class", MAIN_CLASS)
        # The task's OpenLineage run goes to the job as spark.openlineage.parent* properties: the
        # job's START and COMPLETE/FAIL events name it as their parent run.
        kwargs.setdefault("openlineage_inject_parent_job_info", True)
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
        if not (hasattr(context, "get") and context.get("ti") is not None):
            self._openlineage_inject_parent_job_info = False  # no task instance, no parent run
        try:
            result_file = Path(result_root()) / self._result_name(context)
        except SettingsError as error:
            raise AirflowFailException(str(error)) from error
        result_file.parent.mkdir(parents=True, exist_ok=True)
        result_file.unlink(missing_ok=True)
        self.application_args += ["--result-file", str(result_file)]
        if self.records_run:
            # The attempt's id in the run history: the same name as its result file.
            self.application_args += ["--run-id", self._run_id(context)]
        submit_error: AirflowException | None = None
        try:
            super().execute(context)
        except AirflowException as error:
            submit_error = error
        result = self._read_result(result_file)
        code = result["exit_code"] if result is not None else self._exit_code(submit_error) if submit_error else None
        what = f"{self.writes}: {' '.join(self.command)}"
        if code == 0 and submit_error is None:
            return
        reason = _NOT_RETRIED.get(code)
        if reason is not None:
            raise AirflowFailException(f"{what} exited with code {code} ({reason})") from submit_error
        if result is None and submit_error is None:
            raise AirflowException(
                f"{what}: spark-submit returned 0 but the driver wrote no result to {result_file}; "
                "treated as failed"
            )
        if submit_error is not None and result is None:
            raise submit_error
        raise AirflowException(
            f"{what} exited with code {code}: {result.get('message') or 'see the log above'}"
            if code else f"{what}: the driver succeeded but spark-submit failed: {submit_error}"
        ) from submit_error

    @property
    def records_run(self) -> bool:
        """Whether the command is a job run, which the run history records under ``--run-id``
        (lakehouse.common.cli.LakehouseCommand.runJob); other commands refuse the option."""
        return self.command[:1] == ["run"] or self.command[:2] in (
            ["training-set", "build"], ["training-set", "rebuild"])

    def _get_hook(self):
        hook = super()._get_hook()
        standalone_cluster = (hook._connection["master"].startswith("spark://")
                              and hook._connection["deploy_mode"] == "cluster")
        if standalone_cluster:
            # A standalone worker launches a cluster-mode driver without the module options
            # spark-submit gives a client-mode driver; Spark 3.5 on Java 17 needs them.
            options = hook._conf.get(DRIVER_JAVA_OPTIONS, "")
            hook._conf = {**hook._conf,
                          DRIVER_JAVA_OPTIONS: f"{JAVA17_MODULE_OPTIONS} {options}".strip()}
        if standalone_cluster and str(hook._conf.get(WAIT_APP_COMPLETION, "")).lower() == "true":
            # spark-submit waits for the driver itself and the result file tells its outcome:
            # no polling of the standalone master's REST server (off unless enabled there).
            hook._should_track_driver_status = False
        return hook

    @staticmethod
    def _run_id(context: Any) -> str:
        """``<dag>.<task>.<run id>.try-<n>``: new for every attempt, as the run history needs."""
        ti = context.get("ti") if hasattr(context, "get") else None
        if ti is None:
            return f"adhoc-{uuid.uuid4().hex}"
        run_id = ".".join(re.sub(r"[^A-Za-z0-9_-]+", "_", str(part))
                          for part in (ti.dag_id, ti.task_id, ti.run_id, f"try-{ti.try_number}"))
        return run_id[-200:].lstrip("._-")

    @staticmethod
    def _result_name(context: Any) -> str:
        """One file per task attempt: ``<dag>/<task>/<run id>/try-<n>.json`` (a unique name when
        the task runs outside a DAG run, as in unit tests)."""
        ti = context.get("ti") if hasattr(context, "get") else None
        if ti is None:
            return f"adhoc/{uuid.uuid4().hex}.json"
        safe = lambda text: re.sub(r"[^A-Za-z0-9_.=-]+", "_", str(text))  # noqa: E731
        return f"{safe(ti.dag_id)}/{safe(ti.task_id)}/{safe(ti.run_id)}/try-{ti.try_number}.json"

    @staticmethod
    def _read_result(path: Path) -> dict[str, Any] | None:
        try:
            result = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        return result if isinstance(result, dict) and isinstance(result.get("exit_code"), int) else None

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
    The ``as_of`` param becomes ``--as-of`` for a timestamp and ``--version`` for each
    ``TABLE=VERSION`` pin; ``known_at`` becomes ``--known-at``.
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
        for token in re.split(r"[\s,]+", str(params.get("as_of") or "").strip()):
            if token:
                command += ["--version", token] if "=" in token else ["--as-of", token]
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
