"""SQL from a notebook: ``Lake.sql`` and ``Lake.table`` register the tables they name, only those."""

import pytest

import lakehouse


def test_sql_registers_only_the_tables_its_statement_names(sample):
    lake = sample
    catalog = lake.spark.catalog
    for name in ("silver.labels", "gold.customer_features"):
        lake.spark.sql(f"DROP TABLE IF EXISTS {name}")  # as in a new session (the files stay)
    n = lake.sql("WITH churned AS (SELECT customer_id FROM silver.labels WHERE churned = 1) "
                 "SELECT count(*) AS n FROM gold.customer_features VERSION AS OF 1 "
                 "WHERE customer_id IN (SELECT customer_id FROM churned)").first()["n"]
    assert n == 4  # c1's three snapshots and c3's one (c5 has none)
    assert catalog.tableExists("silver.labels") and catalog.tableExists("gold.customer_features")

    lake.spark.sql("DROP TABLE IF EXISTS silver.labels")
    assert lake.table("silver.labels").count() == 8
    assert catalog.tableExists("silver.labels")

    with pytest.raises(lakehouse.UsageError, match=r"SQL error: .*`silver`.`nope`"):
        lake.sql("SELECT * FROM silver.nope")
    with pytest.raises(lakehouse.UsageError, match="unknown table 'silver.nope'"):
        lake.table("silver.nope")
