"""The pandas path without a JVM (LocalLake, deltalake) reads the rows Spark wrote, at the same
version: after appends, an overwrite, a DELETE and a MERGE (row tracking on), by version and by
timestamp; and a recorded training set with its manifest."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import sample_tables, write_table

import lakehouse
from lakehouse.local import LocalLake


def canonical(frame) -> list:
    """A pandas frame's rows, comparable across readers: timestamps as UTC instants, NaN/NaT as
    None, sorted, duplicates kept."""
    import pandas as pd

    out = []
    for record in frame.to_dict("records"):
        row = []
        for key in sorted(record):
            value = record[key]
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
                value = None
            elif isinstance(value, pd.Timestamp):
                value = (value.tz_convert("UTC") if value.tzinfo else value.tz_localize("UTC")).value
            elif hasattr(value, "item"):
                value = value.item()
            row.append((key, value))
        out.append(tuple(row))
    return sorted(out, key=repr)


@pytest.fixture(scope="module")
def orders(lake):
    """silver.local_orders with five versions written by Spark."""
    from pyspark.sql import functions as F

    spark = lake.spark
    schema = "order_id long, customer_id string, amount decimal(12,2), status string, placed_at string"

    def frame(rows):
        # Amounts as Decimal, as a decimal(12,2) column holds them.
        typed = [(r[0], r[1], Decimal(str(r[2])), r[3], r[4]) for r in rows]
        return spark.createDataFrame(typed, schema).withColumn("placed_at", F.to_timestamp("placed_at"))

    write_table(lake, "silver.local_orders", frame([
        (1, "c1", 10.50, "placed", "2024-03-01 10:00:00"), (2, "c2", 99.99, "placed", "2024-03-01 11:00:00")]))
    write_table(lake, "silver.local_orders", frame([
        (3, "c1", 5.00, None, "2024-03-02 09:30:00")]), mode="append")
    write_table(lake, "silver.local_orders", frame([
        (4, "c3", 1.25, "placed", "2024-03-03 08:00:00"), (5, "c3", 2.50, "placed", None)]), mode="append")
    location = f"{lake.lake_root}/silver/local_orders"
    spark.sql(f"DELETE FROM delta.`{location}` WHERE order_id = 2")
    frame([(3, "c1", 6.00, "returned", "2024-03-02 09:30:00"), (6, "c4", 7.00, "placed", "2024-03-04 00:00:00")]) \
        .createOrReplaceTempView("local_order_updates")
    spark.sql(f"MERGE INTO delta.`{location}` t USING local_order_updates s ON t.order_id = s.order_id "
              "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
    return lake


def test_every_version_reads_the_rows_spark_wrote(orders):
    lake = orders
    local = LocalLake(lake.lake_root)
    assert "silver.local_orders" in local.tables()
    latest = local.latest_version("silver.local_orders")
    assert latest == lake.history("silver.local_orders", 1).first()["version"] == 4
    for version in range(latest + 1):
        spark_rows = canonical(lake.read("silver.local_orders", version=version).toPandas())
        pandas_rows = canonical(local.read("silver.local_orders", version=version))
        assert pandas_rows == spark_rows, f"version {version}"
    assert canonical(local.read("silver.local_orders")) == canonical(lake.read("silver.local_orders").toPandas())
    assert list(local.read("silver.local_orders", columns=["order_id"]).columns) == ["order_id"]


def test_timestamps_resolve_to_the_same_version_as_spark(orders):
    lake = orders
    local = LocalLake(lake.lake_root)
    history = local.history("silver.local_orders")
    assert list(history["version"]) == [4, 3, 2, 1, 0]
    assert list(history["operation"])[:2] == ["MERGE", "DELETE"]
    for committed in lake.history("silver.local_orders").collect():
        at = committed["timestamp"]
        assert local.version_at("silver.local_orders", at) == lake.version_at("silver.local_orders", at) \
            == committed["version"]
        assert canonical(local.read("silver.local_orders", timestamp=at)) == \
            canonical(lake.read("silver.local_orders", timestamp=at).toPandas())
    with pytest.raises(lakehouse.UsageError, match="has no version committed at or before 2001"):
        local.version_at("silver.local_orders", "2001-01-01")


def test_a_recorded_training_set_and_its_manifest(lake):
    sample_tables(lake, labels="silver.labels_local", features="gold.features_local")
    spec = {"name": "local_read", "spine": {"keys": ["customer_id"], "event_time": "label_ts",
                                            "label": "churned"},
            "features": [{"table": "gold.features_local", "features": "all", "ttl": "2 days"}]}
    first = lake.build_training_set(spec, spine=lake.read("silver.labels_local"))
    second = lake.build_training_set(spec, spine=lake.read("silver.labels_local").limit(3))
    local = LocalLake(lake.lake_root)
    for built in (first, second):
        manifest = local.manifest(built.manifest.training_set_id)
        assert manifest == built.manifest
        rows = local.training_set(built.manifest.training_set_id)
        assert len(rows) == built.manifest.row_count
        assert canonical(rows) == canonical(built.df.toPandas())
    assert list(local.training_sets("local_read")["training_set_id"]) == [
        second.manifest.training_set_id, first.manifest.training_set_id]


def test_errors_of_the_pandas_path(orders, tmp_path):
    lake = orders
    local = LocalLake(lake.lake_root)
    with pytest.raises(lakehouse.UsageError, match=r"^unknown table 'silver.nope'"):
        local.read("silver.nope")
    with pytest.raises(lakehouse.UsageError, match=r"^table silver.local_orders has no version 9 "):
        local.read("silver.local_orders", version=9)
    with pytest.raises(lakehouse.UsageError, match="must be <layer>.<name>"):
        local.read("orders")
    # What VACUUM does to an old version: the files only it read are gone.
    write_table(lake, "silver.local_vacuumed", lake.read("silver.local_orders"))
    write_table(lake, "silver.local_vacuumed", lake.read("silver.local_orders").limit(1))
    folder = Path(local.location("silver.local_vacuumed"))
    current = set(local._table("silver.local_vacuumed").file_uris())
    for parquet in folder.glob("*.parquet"):
        if not any(uri.endswith(parquet.name) for uri in current):
            parquet.unlink()
    with pytest.raises(lakehouse.DataError, match=r"^version 0 of table silver.local_vacuumed is no longer readable"):
        local.read("silver.local_vacuumed", version=0)
    assert len(local.read("silver.local_vacuumed")) == 1
