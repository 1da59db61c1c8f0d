"""Shared fixtures: the application jar, one Spark session with the lake opened on it, and small
Delta tables written with that session.

One session serves every test (a JVM start costs 10-20 s on 2 cores); each test writes its own
tables under the one lake root, with names of its own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

# pyspark hands timestamps to Python as naive local times: make local time UTC, the lake's zone.
os.environ["TZ"] = "UTC"
time.tzset()

TESTS = Path(__file__).resolve().parent
PYTHON = TESTS.parent
REPOSITORY = PYTHON.parent
CONF = REPOSITORY / "conf"
#: Spark settings that keep a small-data session quick.
SMALL_SPARK_CONF = {
    "spark.databricks.delta.snapshotPartitions": "2",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{CONF / 'log4j2.properties'}",
}


@pytest.fixture(scope="session")
def jar() -> Path:
    """The application jar (LAKEHOUSE_JAR, default app/target/lakehouse.jar)."""
    path = Path(os.environ.get("LAKEHOUSE_JAR", REPOSITORY / "app" / "target" / "lakehouse.jar"))
    if not path.is_file():
        pytest.fail(f"application jar {path} not found: build it (mvn package) or set LAKEHOUSE_JAR")
    return path


@pytest.fixture(scope="session")
def lake_root() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="lakehouse-python-tests-")) / "lake"
    yield root
    shutil.rmtree(root.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def lake(jar: Path, lake_root: Path):
    """The lake opened by open_lake() on a new local session, as a notebook would."""
    import lakehouse

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    opened = lakehouse.open_lake(
        CONF, env="local",
        conf={"lakehouse.lake-root": str(lake_root), "lakehouse.spark.master": "local[2]",
              "lakehouse.spark.shuffle-partitions": 2},
        jar=jar, spark_conf=SMALL_SPARK_CONF)
    yield opened
    opened.spark.stop()


@pytest.fixture(scope="session")
def sample(lake):
    """The lake with silver.labels and gold.customer_features shaped like the sample's (written
    once per session: the churn spec and the notebook read them)."""
    sample_tables(lake)
    return lake


def write_table(lake, table: str, frame, mode: str = "overwrite", change_feed: bool = False) -> int:
    """Writes a DataFrame as a new version of the lake table ``layer.name``; returns the version.

    A new table with ``change_feed`` is created with the change data feed on (known-at builds
    read it), as the lake's gold tables are.
    """
    layer, name = table.split(".")
    location = f"{lake.lake_root}/{layer}/{name}"
    if change_feed and table not in lake.table_names():
        ddl = frame._jdf.schema().toDDL()
        lake.spark.sql(f"CREATE TABLE delta.`{location}` ({ddl}) USING DELTA "
                       "TBLPROPERTIES (delta.enableChangeDataFeed = true)")
    frame.write.format("delta").mode(mode).save(location)
    lake.refresh()
    return int(lake.history(table, 1).first()["version"])


def sample_tables(lake, labels: str = "silver.labels", features: str = "gold.customer_features") -> None:
    """Tables shaped like the sample's (conf/training/churn.conf reads them): labels per customer
    and daily feature snapshots (feature_time = the end of the day they summarise)."""
    from pyspark.sql import functions as F

    spark = lake.spark
    snapshots = spark.createDataFrame(
        [("c1", "2024-03-01", 1, 20.0), ("c1", "2024-03-02", 2, 45.5), ("c1", "2024-03-03", 2, 45.5),
         ("c2", "2024-03-01", 0, None), ("c2", "2024-03-02", 3, 90.0), ("c3", "2024-03-02", 1, 12.0),
         ("c4", "2024-03-01", 5, 150.0), ("c4", "2024-03-03", 6, 170.0)],
        "customer_id string, feature_date string, order_count_30d long, order_amount_sum_30d double",
    ).select("customer_id",
             (F.to_timestamp("feature_date") + F.expr("INTERVAL 86399999999 MICROSECONDS"))
             .alias("feature_time"),
             F.to_date("feature_date").alias("feature_date"), "order_count_30d", "order_amount_sum_30d")
    write_table(lake, features, snapshots, change_feed=True)
    label_rows = spark.createDataFrame(
        [("c1", "2024-03-02 08:00:00", 0), ("c1", "2024-03-04 08:00:00", 1),
         ("c2", "2024-03-03 12:30:00", 0), ("c3", "2024-03-04 00:00:00", 1),
         ("c4", "2024-03-02 00:00:00", 0), ("c4", "2024-03-04 09:15:00", 0),
         ("c5", "2024-03-03 10:00:00", 1), ("c1", "2024-03-04 08:00:00", 1)],
        "customer_id string, label_ts string, churned int",
    ).select("customer_id", F.to_timestamp("label_ts").alias("label_ts"), "churned")
    write_table(lake, labels, label_rows)
