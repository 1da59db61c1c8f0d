"""Kill -9 trials across the layers: bronze, silver, gold and a training-set build.

One uninterrupted run of the pipeline over the CLI's sample data is the reference. Each trial
runs the same pipeline into a fresh lake, but every job is first started and killed with
SIGKILL at a random moment (uniform between its start and the reference run's duration of that
job), then run again until it succeeds. At the end every table the pipeline writes is compared
with the reference, row for row (columns that record when or by which run a row was written
excepted): rows lost and rows duplicated are counted per table.

    airflow-dags/.venv/bin/python bench/faults/kill_trials.py --trials 3 [--seed 7]

Uses the venv's spark-submit (pyspark 3.5.7) with app/target/lakehouse.jar, in local mode.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(__file__).resolve().parents[2]
CONF = HOME / "conf"
JAR = Path(os.environ.get("LAKEHOUSE_JAR", HOME / "app" / "target" / "lakehouse.jar"))
BIN = Path(sys.executable).parent
VOLATILE = {"_ingested_at", "_run_id", "_silver_run_id", "registered_at", "updated_at", "built_at"}
RUN_DATE = "2024-03-02"
JOBS = [
    ("bronze", ["run", "bronze", "--all-sources", "--date", RUN_DATE]),
    ("silver", ["run", "silver", "--all-tables", "--date", RUN_DATE]),
    ("gold", ["run", "gold", "--feature-set", "customer_features", "--from", "2024-03-01", "--to", RUN_DATE]),
    ("training", ["training-set", "build", "--spec", "churn"]),
]
TABLES = ["bronze/orders", "bronze/customers", "bronze/events", "bronze/labels",
          "bronze/orders_rejects", "silver/orders", "silver/customers", "silver/events",
          "silver/labels", "gold/customer_features", "gold/training_churn"]


def command(args: list[str], lake: Path | None = None, landing: Path | None = None) -> list[str]:
    roots = [] if lake is None else ["--conf", f"lakehouse.lake-root={lake}",
                                     "--conf", f"lakehouse.landing-root={landing}"]
    return [str(BIN / "spark-submit"), "--master", "local[2]", "--class", "lakehouse.app.LakehouseCli",
            "--conf", f"spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:{CONF / 'log4j2.properties'}",
            str(JAR), *args, "--conf-dir", str(CONF), *roots]


def run(args: list[str], lake: Path, landing: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(command(args, lake, landing), capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return time.monotonic() - started


def killed(args: list[str], lake: Path, landing: Path, after: float) -> bool:
    """Starts the job and kills it after ``after`` seconds; False when it ended before."""
    process = subprocess.Popen(command(args, lake, landing), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return True


def snapshot(spark, lake: Path) -> dict[str, list]:
    tables = {}
    for name in TABLES:
        path = lake / name
        if not (path / "_delta_log").is_dir():
            tables[name] = []
            continue
        frame = spark.read.format("delta").load(str(path))
        kept = sorted(c for c in frame.columns if c not in VOLATILE)
        tables[name] = sorted(tuple(str(v) for v in row) for row in frame.select(*kept).collect())
    return tables


def compare(reference: dict[str, list], trial: dict[str, list]) -> dict[str, tuple[int, int]]:
    from collections import Counter

    result = {}
    for name, rows in reference.items():
        want, got = Counter(rows), Counter(trial.get(name, []))
        lost = sum((want - got).values())
        extra = sum((got - want).values())
        result[name] = (lost, extra)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the lakes (under the temp folder)")
    args = parser.parse_args()
    random.seed(args.seed)
    import pyspark

    # spark-submit of the pyspark distribution needs SPARK_HOME; Java comes from JAVA_HOME or PATH.
    os.environ["SPARK_HOME"] = str(Path(pyspark.__file__).resolve().parent)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    work = Path(tempfile.mkdtemp(prefix="kill-trials-"))
    landing = work / "landing"
    subprocess.run(command(["generate-sample", "--out", str(landing), "--days", "2", "--customers", "60",
                            "--start-date", "2024-03-01"]), check=True, capture_output=True)
    reference_lake = work / "reference"
    durations = {layer: run(job, reference_lake, landing) for layer, job in JOBS}
    print("reference run: " + ", ".join(f"{layer} {seconds:.0f} s" for layer, seconds in durations.items()))

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[1]").appName("kill-trials")
             .config("spark.jars", str(JAR))
             .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
             .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    reference = snapshot(spark, reference_lake)
    totals = {"trials": 0, "kills": 0, "rows_lost": 0, "rows_duplicated": 0}
    for trial in range(1, args.trials + 1):
        lake = work / f"trial-{trial}"
        kills = []
        for layer, job in JOBS:
            after = random.uniform(1.0, durations[layer])
            if killed(job, lake, landing, after):
                kills.append(f"{layer}@{after:.0f}s")
            run(job, lake, landing)
        diff = compare(reference, snapshot(spark, lake))
        lost = sum(d[0] for d in diff.values())
        extra = sum(d[1] for d in diff.values())
        totals["trials"] += 1
        totals["kills"] += len(kills)
        totals["rows_lost"] += lost
        totals["rows_duplicated"] += extra
        bad = {name: d for name, d in diff.items() if d != (0, 0)}
        print(f"trial {trial}: killed {', '.join(kills) or 'nothing (jobs ended first)'}; "
              f"rows lost {lost}, duplicated {extra}" + (f" {bad}" if bad else ""))
        if not args.keep:
            shutil.rmtree(lake, ignore_errors=True)
    print(json.dumps(totals))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if totals["rows_lost"] == 0 and totals["rows_duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
