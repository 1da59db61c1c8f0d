"""LakehouseJobOperator: the spark-submit command it builds, the settings it reads, and what each
of the jar's exit codes does to the task.

spark-submit here is a stand-in script on the PATH that records its arguments and exits with the
code a test asks for: these tests are about the operator, not Spark (the end-to-end tests run the
real spark-submit).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from airflow.sdk.exceptions import AirflowException, AirflowFailException
from conftest import REPOSITORY_CONF, repository_declarations

from lakehouse_dags import factory
from lakehouse_dags.operator import LakehouseJobOperator, TrainingSetOperator
from lakehouse_dags.settings import RuntimeSettings, SettingsError, report_root

REPORT = "quality gate of silver.orders: FAILED  check order_id is unique: 3 violations"


@pytest.fixture()
def fake_spark_submit(tmp_path, monkeypatch):
    """A spark-submit that writes its argv to a file, prints a report, writes the driver's result
    file (exit code $FAKE_EXIT; none with $FAKE_NO_RESULT) and exits with $FAKE_SUBMIT_EXIT, else
    $FAKE_EXIT (spark-submit in cluster deploy mode reports the application's state, not the
    driver's code)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    argv_file = tmp_path / "argv.json"
    script = bin_dir / "spark-submit"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import json, os, sys\n"
        f"json.dump(sys.argv[1:], open({str(argv_file)!r}, 'w'))\n"
        f"print({REPORT!r})\n"
        "code = int(os.environ.get('FAKE_EXIT', '0'))\n"
        "if '--result-file' in sys.argv and not os.environ.get('FAKE_NO_RESULT'):\n"
        "    path = sys.argv[sys.argv.index('--result-file') + 1]\n"
        "    json.dump({'status': 'succeeded' if code == 0 else 'failed', 'exit_code': code,\n"
        "               'message': None if code == 0 else 'fake failure'}, open(path, 'w'))\n"
        "sys.exit(int(os.environ.get('FAKE_SUBMIT_EXIT', code)))\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("AIRFLOW_CONN_SPARK_LAKEHOUSE", json.dumps({"conn_type": "spark", "host": "local[2]"}))
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_JAR", "/opt/lakehouse/lakehouse.jar")
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_ENV", "prod")
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_CONF", json.dumps({"lakehouse.lake-root": "s3a://b/lake"}))
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_SPARK_CONF", json.dumps({"spark.executor.memory": "2g"}))
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_RESULT_ROOT", str(tmp_path / "results"))
    return argv_file


def silver_task() -> LakehouseJobOperator:
    return LakehouseJobOperator(
        task_id="silver_orders",
        command=["run", "silver", "--table", "orders", "--date", "2024-03-01"],
        writes="silver.orders",
        pool="lakehouse:_ops.runs",
        parse_conf_dir=REPOSITORY_CONF,
        conn_id="spark_lakehouse",
    )


def test_submits_the_jar_with_the_command_and_the_settings_from_variables(fake_spark_submit):
    silver_task().execute({})
    argv = json.loads(Path(fake_spark_submit).read_text())
    assert argv[:2] == ["--master", "local[2]"]
    assert "spark.executor.memory=2g" in argv
    assert f"spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:{REPOSITORY_CONF / 'log4j2.properties'}" in argv
    assert argv[argv.index("--class") + 1] == "lakehouse.app.LakehouseCli"
    jar_at = argv.index("/opt/lakehouse/lakehouse.jar")
    assert argv[jar_at + 1:-4] == [
        "run", "silver", "--table", "orders", "--date", "2024-03-01",
        "--conf-dir", str(REPOSITORY_CONF), "--env", "prod", "--conf", "lakehouse.lake-root=s3a://b/lake",
    ]
    assert argv[-4] == "--result-file"
    assert argv[-3].startswith(str(Path(fake_spark_submit).parent / "results")) and argv[-3].endswith(".json")
    # A job run: its id in the run history, new for every attempt.
    assert argv[-2] == "--run-id"
    assert argv[-1].startswith("adhoc-")


@pytest.mark.parametrize("code", [2, 3, 4])
def test_the_result_file_decides_when_spark_submit_reports_only_the_application_state(
        fake_spark_submit, monkeypatch, code):
    # Cluster deploy mode: spark-submit says only that the application failed.
    monkeypatch.setenv("FAKE_EXIT", str(code))
    monkeypatch.setenv("FAKE_SUBMIT_EXIT", "255")
    with pytest.raises(AirflowFailException, match=rf"exited with code {code}"):
        silver_task().execute({})


def test_no_result_file_is_a_failure_even_when_spark_submit_succeeded(fake_spark_submit, monkeypatch):
    monkeypatch.setenv("FAKE_NO_RESULT", "1")
    with pytest.raises(AirflowException, match="wrote no result") as raised:
        silver_task().execute({})
    assert not isinstance(raised.value, AirflowFailException), "a missing result is retried"


def test_an_unexpected_failure_in_the_result_is_retried(fake_spark_submit, monkeypatch):
    monkeypatch.setenv("FAKE_EXIT", "1")
    monkeypatch.setenv("FAKE_SUBMIT_EXIT", "255")
    with pytest.raises(AirflowException, match="exited with code 1: fake failure") as raised:
        silver_task().execute({})
    assert not isinstance(raised.value, AirflowFailException)


@pytest.mark.parametrize("code", [2, 3, 4])
def test_usage_quality_gate_and_data_errors_fail_without_retry(fake_spark_submit, monkeypatch, code):
    monkeypatch.setenv("FAKE_EXIT", str(code))
    with pytest.raises(AirflowFailException, match=rf"silver.orders: run silver --table orders .* exited with code {code}"):
        silver_task().execute({})


def test_quality_gate_failure_says_where_the_report_is(fake_spark_submit, monkeypatch, capsys):
    monkeypatch.setenv("FAKE_EXIT", "3")
    with pytest.raises(AirflowFailException, match="quality gate failed; the gate's report is in the log above"):
        silver_task().execute({})
    # The hook logs every line spark-submit prints (Airflow's task logger): the report is in the
    # task log.
    assert REPORT in capsys.readouterr().out


def test_a_failed_job_is_retried(fake_spark_submit, monkeypatch):
    monkeypatch.setenv("FAKE_EXIT", "1")
    with pytest.raises(AirflowException) as raised:
        silver_task().execute({})
    assert not isinstance(raised.value, AirflowFailException)


def test_missing_jar_variable_fails_with_how_to_set_it(fake_spark_submit, monkeypatch):
    monkeypatch.delenv("AIRFLOW_VAR_LAKEHOUSE_JAR")
    with pytest.raises(AirflowFailException, match="Airflow Variable 'lakehouse_jar' is not set"):
        silver_task().execute({})


def test_runtime_settings_reject_malformed_json():
    values = {"lakehouse_jar": "x.jar", "lakehouse_conf": "{not json"}
    with pytest.raises(SettingsError, match="'lakehouse_conf' is not valid JSON"):
        RuntimeSettings.resolve(REPOSITORY_CONF, values.get)
    values["lakehouse_conf"] = '["a"]'
    with pytest.raises(SettingsError, match="must be a JSON object"):
        RuntimeSettings.resolve(REPOSITORY_CONF, values.get)


def test_runtime_settings_default_to_the_parse_time_conf_dir_and_the_jars_env():
    settings = RuntimeSettings.resolve(Path("/etc/lakehouse/conf"), {"lakehouse_jar": "x.jar"}.get)
    assert settings.cli_args() == ["--conf-dir", "/etc/lakehouse/conf"]


def training_task() -> TrainingSetOperator:
    return TrainingSetOperator(
        task_id="build_churn", spec="churn", writes="gold.training_churn", pool="lakehouse:_ops.runs",
        parse_conf_dir=REPOSITORY_CONF, conn_id="spark_lakehouse",
    )


def test_training_task_builds_its_spec_with_as_of_and_known_at(fake_spark_submit):
    training_task().execute({"params": {"spec": "churn", "as_of": "2024-03-01T00:00:00Z", "known_at": True}})
    argv = json.loads(Path(fake_spark_submit).read_text())
    jar_at = argv.index("/opt/lakehouse/lakehouse.jar")
    assert argv[jar_at + 1:jar_at + 8] == [
        "training-set", "build", "--spec", "churn", "--as-of", "2024-03-01T00:00:00Z", "--known-at",
    ]


def test_training_task_turns_table_pins_in_as_of_into_version_options(fake_spark_submit):
    training_task().execute({"params": {"spec": "churn", "known_at": False,
                                        "as_of": "gold.customer_features=12 silver.labels=3"}})
    argv = json.loads(Path(fake_spark_submit).read_text())
    jar_at = argv.index("/opt/lakehouse/lakehouse.jar")
    assert argv[jar_at + 1:jar_at + 8] == [
        "training-set", "build", "--spec", "churn",
        "--version", "gold.customer_features=12", "--version",
    ]
    assert argv[jar_at + 8] == "silver.labels=3"


def test_training_task_of_another_spec_is_skipped(fake_spark_submit):
    from airflow.sdk.exceptions import AirflowSkipException

    with pytest.raises(AirflowSkipException, match="builds 'upsell', not 'churn'"):
        training_task().execute({"params": {"spec": "upsell", "as_of": "", "known_at": False}})
    assert not Path(fake_spark_submit).exists()


# --- the daily report task -----------------------------------------------------------------------


def daily_report_task():
    """The report task of lakehouse_daily over the repository's conf/, templates rendered for the
    run whose data interval starts on 2024-03-01."""
    from datetime import datetime, timezone

    task = factory.build_daily(repository_declarations()).task_dict[factory.REPORT_TASK]
    task.render_template_fields({"data_interval_start": datetime(2024, 3, 1, tzinfo=timezone.utc)})
    return task


def test_report_task_writes_under_the_report_root_in_the_folder_of_the_run_date(fake_spark_submit, monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_REPORT_ROOT", "/srv/lakehouse/reports/")
    task = daily_report_task()
    assert task.folder == "2024-03-01"
    assert task.name == "lakehouse-report-2024-03-01"
    task.execute({})
    argv = json.loads(Path(fake_spark_submit).read_text())
    assert argv[argv.index("--class") + 1] == "lakehouse.app.LakehouseCli"
    assert "spark.executor.memory=2g" in argv
    jar_at = argv.index("/opt/lakehouse/lakehouse.jar")
    # The same jar, conf dir, env and overrides as every job, and a result file.
    assert argv[jar_at + 1:-2] == [
        "report", "--out", "/srv/lakehouse/reports/2024-03-01",
        "--conf-dir", str(REPOSITORY_CONF), "--env", "prod", "--conf", "lakehouse.lake-root=s3a://b/lake",
    ]
    assert argv[-2] == "--result-file"


def test_report_root_defaults_to_a_folder_of_the_airflow_home(fake_spark_submit, monkeypatch, tmp_path):
    monkeypatch.delenv("AIRFLOW_VAR_LAKEHOUSE_REPORT_ROOT", raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    daily_report_task().execute({})
    argv = json.loads(Path(fake_spark_submit).read_text())
    out = argv[argv.index("--out") + 1]
    assert out == str(tmp_path / "airflow" / "lakehouse-reports" / "2024-03-01")


def test_report_task_fails_without_retry_on_a_bad_out_or_setting(fake_spark_submit, monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_REPORT_ROOT", "/srv/reports")
    monkeypatch.setenv("FAKE_EXIT", "2")
    with pytest.raises(AirflowFailException, match=r"the lake report: report --out /srv/reports/2024-03-01 exited with code 2 \(usage"):
        daily_report_task().execute({})


def test_report_task_retries_an_unexpected_failure(fake_spark_submit, monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_REPORT_ROOT", "/srv/reports")
    monkeypatch.setenv("FAKE_EXIT", "1")
    with pytest.raises(AirflowException) as raised:
        daily_report_task().execute({})
    assert not isinstance(raised.value, AirflowFailException)


@pytest.mark.parametrize(
    "root, message",
    [
        ("s3a://bucket/reports", "written by the Spark driver to a local path"),
        ("reports", "give an absolute path"),
    ],
)
def test_a_report_root_the_driver_cannot_write_fails_the_report_task_only(fake_spark_submit, monkeypatch, root, message):
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_REPORT_ROOT", root)
    with pytest.raises(AirflowFailException, match=f"'lakehouse_report_root' is '{root}': .*{message}"):
        daily_report_task().execute({})
    assert not Path(fake_spark_submit).exists()
    # The jobs do not read it.
    silver_task().execute({})
    assert Path(fake_spark_submit).exists()


def test_report_root_accepts_a_file_uri_and_a_home_relative_path(monkeypatch):
    monkeypatch.setenv("HOME", "/home/airflow")
    assert report_root({"lakehouse_report_root": "file:///srv/reports/"}.get) == "/srv/reports"
    assert report_root({"lakehouse_report_root": "~/reports"}.get) == "/home/airflow/reports"
