"""Where the DAGs take their settings from: nothing about a deployment is written in Python.

Parse time (the shape of the DAGs), from Airflow's configuration (``airflow.cfg`` section
``[lakehouse]`` or the ``AIRFLOW__LAKEHOUSE__*`` environment variables):

* ``conf_dir``      the lakehouse configuration directory whose declarations make the tasks
                    (default: the ``conf/`` folder of the repository these DAGs are part of)
* ``spark_conn_id`` the Spark connection every job is submitted through (default
                    ``spark_lakehouse``): master, deploy mode, queue, spark-submit binary

Run time (each task, when it starts), from Airflow Variables:

* ``lakehouse_jar``        required: path or URI of the application jar (local, hdfs://, s3a://)
* ``lakehouse_env``        optional: the ``--env`` overlay (default: the jar's own default,
                           ``$LAKEHOUSE_ENV`` or ``local``)
* ``lakehouse_conf_dir``   optional: ``--conf-dir`` as the driver sees it (default: conf_dir)
* ``lakehouse_conf``       optional JSON object: ``--conf key=value`` overrides for the jobs
* ``lakehouse_spark_conf`` optional JSON object: extra Spark properties for spark-submit
* ``lakehouse_report_root`` optional: the folder the daily report task writes
                           ``<root>/<run date>/index.html`` under, an absolute path on the
                           machine of the Spark driver (default ``$AIRFLOW_HOME/lakehouse-reports``)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

#: Section of Airflow's configuration read at parse time.
SECTION = "lakehouse"
DEFAULT_SPARK_CONN_ID = "spark_lakehouse"
#: The application jar's entry point (one jar, one CLI, one sub-command per job).
MAIN_CLASS = "lakehouse.app.LakehouseCli"

VAR_JAR = "lakehouse_jar"
VAR_ENV = "lakehouse_env"
VAR_CONF_DIR = "lakehouse_conf_dir"
VAR_CONF = "lakehouse_conf"
VAR_SPARK_CONF = "lakehouse_spark_conf"
VAR_REPORT_ROOT = "lakehouse_report_root"
#: Below AIRFLOW_HOME when ``lakehouse_report_root`` is not set.
DEFAULT_REPORT_FOLDER = "lakehouse-reports"
#: Where each job's driver writes its outcome (``--result-file``), read back by the operator.
VAR_RESULT_ROOT = "lakehouse_result_root"
DEFAULT_RESULT_FOLDER = "lakehouse-results"

# airflow-dags/dags/lakehouse_dags/settings.py -> the repository root is three levels up.
_REPOSITORY_CONF = Path(__file__).resolve().parents[3] / "conf"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to set it."""


def parse_time_conf_dir() -> Path:
    """The configuration directory the DAGs are generated from."""
    from airflow.sdk import conf

    configured = conf.get(SECTION, "conf_dir", fallback=None)
    return Path(configured) if configured else _REPOSITORY_CONF


def spark_conn_id() -> str:
    """The Spark connection id every job is submitted through."""
    from airflow.sdk import conf

    return conf.get(SECTION, "spark_conn_id", fallback=DEFAULT_SPARK_CONN_ID)


@dataclass(frozen=True)
class RuntimeSettings:
    """What a task needs when it starts, resolved from Airflow Variables."""

    jar: str
    env: str | None
    conf_dir: str
    conf: dict[str, str]
    spark_conf: dict[str, str]

    @staticmethod
    def resolve(parse_conf_dir: Path, get: Callable[[str], str | None] | None = None) -> "RuntimeSettings":
        """Reads the Variables (``get`` replaces ``Variable.get`` in unit tests)."""
        if get is None:
            from airflow.sdk import Variable

            def get(key: str) -> str | None:
                return Variable.get(key, default=None)

        jar = (get(VAR_JAR) or "").strip()
        if not jar:
            raise SettingsError(
                f"Airflow Variable '{VAR_JAR}' is not set: set it to the path or URI of the "
                "application jar (e.g. s3a://bucket/jars/lakehouse.jar or /opt/lakehouse/lakehouse.jar)"
            )
        env = (get(VAR_ENV) or "").strip() or None
        conf_dir = (get(VAR_CONF_DIR) or "").strip() or str(parse_conf_dir)
        return RuntimeSettings(
            jar=jar,
            env=env,
            conf_dir=conf_dir,
            conf=_json_object(get, VAR_CONF),
            spark_conf=_json_object(get, VAR_SPARK_CONF),
        )

    def cli_args(self) -> list[str]:
        """The options every lakehouse command takes, after its own arguments."""
        args = ["--conf-dir", self.conf_dir]
        if self.env:
            args += ["--env", self.env]
        for key, value in sorted(self.conf.items()):
            args += ["--conf", f"{key}={value}"]
        return args


def report_root(get: Callable[[str], str | None] | None = None) -> str:
    """The folder the daily report is written under, from the Variable ``lakehouse_report_root``.

    ``report --out`` writes with the driver's local file system (the jar does not write the page to
    S3 or HDFS), so the root must be an absolute local path as the driver sees it: on the Airflow
    worker in client deploy mode, a shared mount in cluster mode. Unset, it is
    ``$AIRFLOW_HOME/lakehouse-reports`` (``~/airflow`` when AIRFLOW_HOME is unset, as in Airflow).
    ``get`` replaces ``Variable.get`` in unit tests.
    """
    return _local_root(get, VAR_REPORT_ROOT, DEFAULT_REPORT_FOLDER, "the report", "reports")


def result_root(get: Callable[[str], str | None] | None = None) -> str:
    """The folder each job's outcome is written under (``--result-file``), from the Variable
    ``lakehouse_result_root``: the driver writes it and the operator reads it after spark-submit
    returns, so in cluster deploy mode it must be a mount both see. Unset, it is
    ``$AIRFLOW_HOME/lakehouse-results``. ``get`` replaces ``Variable.get`` in unit tests.
    """
    return _local_root(get, VAR_RESULT_ROOT, DEFAULT_RESULT_FOLDER, "each job's result", "results")


def _local_root(get: Callable[[str], str | None] | None, variable: str, default_folder: str,
                what: str, example: str) -> str:
    if get is None:
        from airflow.sdk import Variable

        def get(key: str) -> str | None:
            return Variable.get(key, default=None)

    configured = (get(variable) or "").strip()
    if not configured:
        home = os.environ.get("AIRFLOW_HOME") or "~/airflow"
        return os.path.join(os.path.expanduser(home), default_folder)
    root = configured[len("file://"):] if configured.startswith("file://") else configured
    if "://" in root:
        raise SettingsError(
            f"Airflow Variable '{variable}' is {configured!r}: {what} is written by the Spark "
            "driver to a local path; give an absolute path (a shared mount in cluster deploy mode)"
        )
    root = os.path.expanduser(root)
    if not os.path.isabs(root):
        raise SettingsError(
            f"Airflow Variable '{variable}' is {configured!r}: give an absolute path, e.g. "
            f"/srv/lakehouse/{example} (a relative one would depend on the driver's working directory)"
        )
    return root.rstrip("/") or "/"


def _json_object(get: Callable[[str], str | None], key: str) -> dict[str, str]:
    raw = get(key)
    if raw is None or not str(raw).strip():
        return {}
    try:
        value: Any = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as error:
        raise SettingsError(f"Airflow Variable '{key}' is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise SettingsError(f"Airflow Variable '{key}' must be a JSON object of key: value, got {raw!r}")
    return {str(k): _scalar(key, k, v) for k, v in value.items()}


def _scalar(variable: str, key: Any, value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise SettingsError(f"Airflow Variable '{variable}': value of '{key}' must be a string or number")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
