"""Kill -9 trials across the layers: bronze, silver, gold and every training-set build.

The reference is the session's uninterrupted run of lakehouse_daily (``local_run``) and, for the
training sets, a build on a copy of its lake. A trial runs the same day into a fresh lake with
one command per layer (``--all-sources``, ``--all-tables``, each feature set, each training
spec), but each command is first started and killed with SIGKILL at a random moment of its work
(uniform between its run record appearing and the reference's duration of that work), then run
again. At the end every table the jobs write their rows to (outputs, rejects, quarantine) is
compared with the reference row for row, columns recording when or by which run a row was
written excepted: a lost or duplicated row fails the test.

The test command runs one trial; more on demand, each about 4 minutes on 2 cores:

    LAKEHOUSE_KILL_TRIALS=10 LAKEHOUSE_KILL_SEED=3 airflow-dags/run-tests.sh tests/test_kill_trials.py -s
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

from conftest import REPOSITORY_CONF, RUN_DATE, VENV_BIN, java_env, repository_declarations

TRIALS = int(os.environ.get("LAKEHOUSE_KILL_TRIALS", "1"))
SEED = int(os.environ.get("LAKEHOUSE_KILL_SEED", str(time.time_ns() % 10_000)))
#: Columns saying when or by which run a row was written: they differ between any two runs.
VOLATILE = {"_ingested_at", "_run_id", "_silver_run_id", "registered_at", "updated_at", "built_at"}


def _submit(jar: Path, lake: Path, landing: Path, args: list[str]) -> list[str]:
    return [
        str(VENV_BIN / "spark-submit"), "--master", "local[2]", "--class", "lakehouse.app.LakehouseCli",
        "--conf", f"spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:{REPOSITORY_CONF / 'log4j2.properties'}",
        str(jar), *args, "--conf-dir", str(REPOSITORY_CONF),
        "--conf", f"lakehouse.lake-root={lake}", "--conf", f"lakehouse.landing-root={landing}",
    ]


def _run(jar: Path, lake: Path, landing: Path, args: list[str]) -> float:
    started = time.monotonic()
    done = subprocess.run(_submit(jar, lake, landing, args), env=java_env(), capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return time.monotonic() - started


def _run_records(lake: Path) -> set[str]:
    folder = lake / "_ops" / "_pending_runs"
    return {path.name for path in folder.glob("*.json")} if folder.is_dir() else set()


def _killed(jar: Path, lake: Path, landing: Path, args: list[str], within: float, rng: random.Random) -> str:
    """Starts the command and kills it at a random moment of its work; says when, or that it
    ended first. The moment counts from the run record the job drops when it starts working,
    so no kill is spent on the JVM and Spark session start."""
    before = _run_records(lake)
    driver = subprocess.Popen(_submit(jar, lake, landing, args), env=java_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while _run_records(lake) == before and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        after = rng.uniform(0.0, within)
        try:
            driver.wait(timeout=after)
            return f"ended before {after:.1f} s"
        except subprocess.TimeoutExpired:
            driver.kill()  # SIGKILL: no shutdown hook, no finally block runs
            driver.wait(timeout=60)
            return f"killed at {after:.1f} s"
    finally:
        if driver.poll() is None:
            driver.kill()


def _rows(spark, lake: Path, table: str) -> Counter:
    path = lake / Path(*table.split("."))
    if not (path / "_delta_log").is_dir():
        return Counter()
    frame = spark.read.format("delta").load(str(path))
    kept = sorted(c for c in frame.columns if c not in VOLATILE)
    return Counter(tuple(str(v) for v in row) for row in frame.select(*kept).collect())


def _row_tables(job) -> list[str]:
    """The tables a job writes rows of the data to: its output, its rejects or quarantine."""
    return [job.writes, *(t for t in job.own if t.endswith(("_rejects", "_quarantine")))]


def test_jobs_killed_at_random_moments_then_rerun_lose_and_duplicate_nothing(jar, local_run, spark, tmp_path, capsys):
    decls = repository_declarations()
    assert decls.training, "the repository declares no training set to kill"
    # The reference: the daily run, and each training set built on a copy of its lake.
    reference_lake = tmp_path / "reference"
    shutil.copytree(local_run.lake, reference_lake)
    # How long each layer worked in the daily run (its jobs' run records, "lakehouse run bronze"...).
    seconds = Counter()
    for row in spark.read.format("delta").load(str(local_run.lake / "_ops" / "runs")).collect():
        seconds[row["job"].split()[-1]] += (row["duration_ms"] or 0) / 1000
    assert all(seconds[layer] > 0 for layer in ("bronze", "silver", "gold")), f"no duration per layer: {seconds}"
    commands = [
        (["run", "bronze", "--all-sources", "--date", RUN_DATE], seconds["bronze"], decls.bronze),
        (["run", "silver", "--all-tables", "--date", RUN_DATE], seconds["silver"], decls.silver),
        *((["run", "gold", "--feature-set", job.name, "--date", RUN_DATE], seconds["gold"], (job,))
          for job in decls.gold),
    ]
    for job in decls.training:
        args = ["training-set", "build", "--spec", job.name]
        commands.append((args, _run(jar, reference_lake, local_run.landing, args), (job,)))
    tables = [table for _, _, jobs in commands for job in jobs for table in _row_tables(job)]
    reference = {table: _rows(spark, reference_lake, table) for table in tables}
    assert all(reference[job.writes] for _, _, jobs in commands for job in jobs), "a reference table is empty"

    rng = random.Random(SEED)
    failures = []
    for trial in range(1, TRIALS + 1):
        lake = tmp_path / f"trial-{trial}"
        kills = []
        for args, within, _ in commands:
            kills.append(f"{' '.join(args[:2])}: {_killed(jar, lake, local_run.landing, args, within, rng)}")
            _run(jar, lake, local_run.landing, args)
        lost = duplicated = 0
        for table in tables:
            got = _rows(spark, lake, table)
            lost += sum((reference[table] - got).values())
            duplicated += sum((got - reference[table]).values())
        with capsys.disabled():  # the figures belong in the test command's output, pass or fail
            print(f"\ntrial {trial} (seed {SEED}): {'; '.join(kills)}; rows lost {lost}, duplicated {duplicated}")
        if lost or duplicated:
            failures.append(f"trial {trial}: {lost} rows lost, {duplicated} duplicated ({'; '.join(kills)})")
        shutil.rmtree(lake, ignore_errors=True)
    assert not failures, f"seed {SEED}:\n" + "\n".join(failures)
