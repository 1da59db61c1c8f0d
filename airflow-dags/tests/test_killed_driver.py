"""A job's driver killed with SIGKILL mid-run (the spark-submit process of a client-mode job is
the driver JVM): its run stays recorded as running, never as succeeded, and a rerun completes
with every landed record in bronze exactly once."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from conftest import REPOSITORY_CONF, VENV_BIN, java_env, spark_submit


def _bronze(jar: Path, lake: Path, landing: Path, run_id: str) -> list[str]:
    return [
        str(VENV_BIN / "spark-submit"), "--master", "local[2]", "--class", "lakehouse.app.LakehouseCli",
        "--conf", f"spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:{REPOSITORY_CONF / 'log4j2.properties'}",
        str(jar), "run", "bronze", "--source", "orders", "--run-id", run_id, "--conf-dir", str(REPOSITORY_CONF),
        "--conf", f"lakehouse.lake-root={lake}", "--conf", f"lakehouse.landing-root={landing}",
    ]


def test_a_killed_driver_is_never_a_success_and_a_rerun_loses_nothing(jar, sample, spark, tmp_path):
    lake = tmp_path / "lake"
    record = lake / "_ops" / "_pending_runs" / "killed-1.json"
    driver = subprocess.Popen(_bronze(jar, lake, sample, "killed-1"), env=java_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not record.is_file() and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert driver.poll() is None, "the job ended before it could be killed"
        assert record.is_file(), "no run record within 300 s"
        driver.kill()  # SIGKILL: no shutdown hook, no finally block runs
        driver.wait(timeout=60)
    finally:
        if driver.poll() is None:
            driver.kill()

    # Still "running" (its driver might be alive elsewhere); past lakehouse.runs.abandoned-after,
    # "abandoned". Never "succeeded".
    for limit, status in (("24 hours", "running"), ("1 second", "abandoned")):
        runs = spark_submit(jar, "runs", "--format", "json", "--conf-dir", str(REPOSITORY_CONF),
                            "--conf", f"lakehouse.lake-root={lake}",
                            "--conf", f"lakehouse.runs.abandoned-after={limit}")
        assert runs.returncode == 0, runs.stderr
        rows = [json.loads(line) for line in runs.stdout.splitlines() if line.startswith("{")]
        assert [row["status"] for row in rows] == [status], rows

    rerun = subprocess.run(_bronze(jar, lake, sample, "rerun-1"), env=java_env(), capture_output=True,
                           text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    landed = sum(
        1 for path in (sample / "orders").rglob("*") if path.is_file() and not path.name.startswith(("_", "."))
        for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    bronze = spark.read.format("delta").load(str(lake / "bronze" / "orders")).count()
    rejects_dir = lake / "bronze" / "orders_rejects"
    rejects = spark.read.format("delta").load(str(rejects_dir)).count() if rejects_dir.is_dir() else 0
    # Every landed record once: nothing lost by the kill, no batch written twice by the rerun.
    assert bronze + rejects == landed, (bronze, rejects, landed)
