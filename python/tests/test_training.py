"""Training sets from Python: a DataFrame spine gives the table spine's rows, is persisted so that
the manifest alone rebuilds it (same hash), with the CLI's options, on the sample's shape (the
repository's churn spec) and on another domain (composite keys, other column names)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import write_table

import lakehouse
from lakehouse import Manifest


def rows(df):
    """The rows of a DataFrame as a sorted list of tuples (duplicates kept)."""
    return sorted((tuple(r) for r in df.collect()), key=repr)


def test_a_dataframe_spine_gives_the_table_spine_rows_and_the_manifest_alone_rebuilds_it(sample, tmp_path):
    lake = sample
    from_table = lake.build_training_set("churn", output=str(tmp_path / "from_table"))
    spine = lake.read("silver.labels")
    built = lake.build_training_set("churn", spine=spine)

    assert built.manifest.content_hash == from_table.manifest.content_hash
    assert rows(built.df) == rows(from_table.df)
    assert built.df.count() == 8, "one row per spine row, the duplicate kept"
    assert built.manifest.spine_source == "gold._spine_churn"
    assert built.manifest.spec["spine"]["table"] == "gold._spine_churn"
    assert built.manifest.spec["spine"]["version"] == built.manifest.spine_version
    assert built.manifest.label_counts == {"0": 4, "1": 4}
    assert built.manifest.output_table == "gold.training_churn"
    # The persisted spine is the spine's rows, at the version the manifest names.
    persisted = lake.read("gold._spine_churn", version=built.manifest.spine_version)
    assert rows(persisted) == rows(spine)

    # Another build over other rows: a new spine version; the first still rebuilds bit for bit,
    # from the manifest object and from a manifest file.
    other = lake.build_training_set("churn", spine=spine.where("churned = 1"))
    assert other.manifest.spine_version == built.manifest.spine_version + 1
    assert other.manifest.row_count == 4
    again = lake.rebuild_training_set(built.manifest)
    assert again.manifest.content_hash == built.manifest.content_hash
    assert again.manifest.rebuilt_from == built.manifest.training_set_id
    assert rows(again.df) == rows(built.df)
    saved = built.manifest.save(tmp_path / "churn.manifest.json")
    assert Manifest.load(saved) == built.manifest
    assert lake.rebuild_training_set(saved).manifest.content_hash == built.manifest.content_hash

    # The build is recorded like the CLI's: listed, shown, read back at the version it wrote.
    assert lake.manifest(built.manifest.training_set_id) == built.manifest
    recorded = {r["training_set_id"] for r in lake.training_sets("churn").collect()}
    assert {built.manifest.training_set_id, other.manifest.training_set_id} <= recorded
    shown = lake.describe_training_set(built.manifest.training_set_id)
    assert "spine:         gold._spine_churn @ version" in shown
    assert rows(lake.training_set(built.manifest.training_set_id).df) == rows(built.df)


def test_any_dataframe_is_a_spine_a_pandas_one_too_with_the_spec_given_as_a_dict(sample):
    lake = sample
    import pandas as pd

    scored = pd.DataFrame({
        "customer": ["c1", "c2", "c4", "c9"],
        "score_at": pd.to_datetime(["2024-03-03 00:00:01", "2024-03-03 00:00:00",
                                    "2024-03-03 00:00:00", "2024-03-04 00:00:00"]),
    })
    spine = lake.spark.createDataFrame(scored).withColumnRenamed("customer", "customer_id")
    spec = {
        "name": "scoring",
        "spine": {"keys": ["customer_id"], "event_time": "score_at"},
        "features": [{"table": "gold.customer_features", "features": ["order_count_30d"],
                      "ttl": timedelta(days=1), "rename": {"order_count_30d": "orders_30d"}}],
        "output": "gold.training_scoring",
    }
    built = lake.build_training_set(spec, spine=spine)
    got = {r["customer_id"]: r["orders_30d"] for r in built.df.collect()}
    # c1 at 03-03 00:00:01 sees the snapshot of 03-02 (ends 23:59:59.999999); c2 at exactly
    # midnight too; c4's latest then is 03-01's, older than the 1-day TTL; c9 has none.
    assert got == {"c1": 2, "c2": 3, "c4": None, "c9": None}
    assert built.manifest.spine_source == "gold._spine_scoring"
    assert built.manifest.feature_null_rates == {"orders_30d": 0.5}
    assert lake.rebuild_training_set(built.manifest).manifest.content_hash == built.manifest.content_hash


def test_another_domain_composite_keys_with_as_of_version_pins_and_known_at(lake):
    """Machines on sites, inspected: keys (site, machine), a feature time named measured_at, a
    correction committed later (which known-at must not see before it was committed)."""
    from pyspark.sql import functions as F

    spark = lake.spark
    readings = spark.createDataFrame(
        [("north", 1, "2025-06-01 10:00:00", 71.5, 0.20), ("north", 1, "2025-06-02 10:00:00", 75.0, 0.35),
         ("north", 2, "2025-06-01 11:00:00", 60.0, 0.10), ("south", 1, "2025-06-01 09:00:00", 90.0, 0.90)],
        "site string, machine int, measured_at string, temperature double, vibration double",
    ).withColumn("measured_at", F.to_timestamp("measured_at"))
    v_first = write_table(lake, "gold.machine_health", readings, change_feed=True)
    first_commit = lake.history("gold.machine_health", 1).first()["timestamp"]
    correction = spark.createDataFrame(
        [("north", 2, "2025-06-02 08:00:00", 99.0, 0.95)],
        "site string, machine int, measured_at string, temperature double, vibration double",
    ).withColumn("measured_at", F.to_timestamp("measured_at"))
    v_second = write_table(lake, "gold.machine_health", correction, mode="append")
    second_commit = lake.history("gold.machine_health", 1).first()["timestamp"]
    # An inspection between the two commits: known-at sees the first version's reading only.
    between = first_commit + (second_commit - first_commit) / 2
    inspections = spark.createDataFrame(
        [("north", 1, datetime(2025, 6, 2, 12), True), ("north", 2, between, False),
         ("south", 1, datetime(2025, 6, 3), True), ("south", 2, datetime(2025, 6, 3), False)],
        "site string, machine int, inspected_at timestamp, failed boolean")
    write_table(lake, "silver.inspections", inspections)
    spec = {
        "name": "machine_failure",
        "spine": {"table": "silver.inspections", "keys": ["site", "machine"],
                  "event_time": "inspected_at", "label": "failed"},
        "features": [{"table": "gold.machine_health", "features": ["temperature", "vibration"],
                      "feature_time": "measured_at"}],
        "output": "gold.training_machine_failure",
    }

    def both(**options):
        from_table = lake.build_training_set(spec, **options)
        from_frame = lake.build_training_set(spec, spine=lake.read("silver.inspections"),
                                             spine_table="gold._spine_machines", **options)
        assert from_frame.manifest.content_hash == from_table.manifest.content_hash, options
        assert rows(from_frame.df) == rows(from_table.df), options
        return from_frame

    latest = both()
    assert latest.manifest.feature_versions == {"gold.machine_health": v_second}
    north_2 = latest.df.where("site = 'north' AND machine = 2").first()
    assert north_2["machine_health__temperature"] == 99.0

    def from_frame(**options):
        return lake.build_training_set(spec, spine=lake.read("silver.inspections"),
                                       spine_table="gold._spine_machines", **options)

    pinned = from_frame(versions={"gold.machine_health": v_first})
    assert pinned.manifest.knowledge_mode == "as_of"
    assert pinned.df.where("site = 'north' AND machine = 2").first()["machine_health__temperature"] == 60.0
    # as_of pins every input table: a table spine written after that time has no version then,
    # a DataFrame spine is persisted by the build itself and is not pinned by as_of.
    as_of = from_frame(as_of=first_commit)
    assert as_of.manifest.feature_versions == {"gold.machine_health": v_first}
    assert as_of.manifest.content_hash == pinned.manifest.content_hash
    with pytest.raises(lakehouse.UsageError, match="silver.inspections has no version committed at or before"):
        lake.build_training_set(spec, as_of=first_commit)

    # Known-at: an inspection sees only what was committed by its time (minus the serving delay).
    # Every row here was committed now, long after the 2025 inspections; the one between the two
    # commits sees the first commit's reading, not the correction, and nothing once the delay
    # reaches back before the first commit.
    known = both(known_at=True)
    assert known.manifest.knowledge_mode == "known_at"
    assert known.df.where("site = 'north' AND machine = 2").first()["machine_health__temperature"] == 60.0
    assert known.df.where("site = 'north' AND machine = 1").first()["machine_health__temperature"] is None
    delayed = from_frame(known_at=True, serving_delay=second_commit - first_commit)
    assert delayed.manifest.serving_delay.startswith("PT")
    assert delayed.df.where("site = 'north' AND machine = 2").first()["machine_health__temperature"] is None
    assert lake.rebuild_training_set(known.manifest).manifest.content_hash == known.manifest.content_hash
    assert latest.manifest.label_counts == {"false": 2, "true": 2}


def test_tables_history_versions_and_diff(sample):
    lake = sample
    names = lake.table_names()
    assert {"silver.labels", "gold.customer_features"} <= set(names)
    listed = {r["name"]: r for r in lake.tables(rows=True).collect()}
    assert listed["silver.labels"]["rows"] == 8
    history = lake.history("gold.customer_features").collect()
    assert [r["version"] for r in history] == [1, 0]
    assert history[1]["operation"] == "CREATE TABLE"
    assert lake.read("gold.customer_features", version=0).count() == 0
    committed = history[0]["timestamp"]
    assert lake.version_at("gold.customer_features", committed) == 1
    assert lake.read("gold.customer_features", timestamp=committed).count() == 8

    labels = lake.read("silver.labels")
    first = write_table(lake, "silver.labels_copy", labels)
    second = write_table(lake, "silver.labels_copy",
                         labels.where("customer_id <> 'c5'").withColumn("churned", labels["churned"] * 0 + 1))
    diff = lake.diff("silver.labels_copy", first, second, key=[])
    assert (diff.key, diff.from_version, diff.to_version) == ([], first, second)
    # Whole rows as multisets: the three rows already churned stay; 5 go, 4 come.
    assert diff.summary() == {"added": 4, "removed": 5, "changed": 0}
    assert diff.rows.where("_change = 'added'").count() == 4


def test_features_come_from_the_registry_and_without_one_say_how_to_make_it(sample):
    lake = sample
    with pytest.raises(lakehouse.UsageError, match="run gold first"):
        lake.features()
    # A registry table as gold writes one per feature set: one current and one superseded row.
    registry = lake.spark.sql(
        "SELECT * FROM VALUES ('temperature', 'machine_health', 2, true, 'aggregation'), "
        "('temperature', 'machine_health', 1, false, 'aggregation') "
        "AS t(feature, feature_set, version, is_current, kind)")
    write_table(lake, "gold._feature_registry_machine_health", registry)
    current = lake.features().collect()
    assert [(r["feature"], r["version"]) for r in current] == [("temperature", 2)]
    assert lake.features(all_versions=True).count() == 2
    assert lake.features(feature_set="customer_features").count() == 0
