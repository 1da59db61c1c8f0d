"""The single-writer pools: one pool with one slot per group of tables written together.

On S3 without a DynamoDB log store, Delta allows one writing driver per table at a time. Every
task that writes a table (daily job, weekly maintenance, training-set build) runs in that table's
pool, so two of them never run at once, whichever DAG, run or backfill they belong to. Jobs that
share a table (every job of a layer appends to the layer's run log) share one pool.

Airflow does not create pools by itself: after adding a declaration, create the new pool with

    python -m lakehouse_dags.pools --conf-dir conf > pools.json && airflow pools import pools.json

(the command is idempotent; existing pools keep their slots).
"""

from __future__ import annotations

import argparse
import json
import sys

from lakehouse_dags import declarations
from lakehouse_dags.operator import pool_name


def required_pools(decls: declarations.Declarations, slots: int = 1) -> dict[str, dict[str, object]]:
    """The pools the DAGs' tasks run in, in ``airflow pools import`` format.

    One slot is the rule on S3 with Delta's default log store. With a log store that is safe for
    several writing drivers (S3DynamoDBLogStore, HDFS, ADLS, GCS) more slots let jobs overlap.
    """
    return {
        pool_name(key): {
            "slots": slots,
            "description": "single Delta writer of " + ", ".join(members),
            "include_deferred": False,
        }
        for key, members in decls.writer_groups().items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the lakehouse pools as JSON for 'airflow pools import'.")
    parser.add_argument("--conf-dir", required=True, help="the lakehouse configuration directory")
    parser.add_argument(
        "--slots", type=int, default=1,
        help="slots per pool: 1 on S3 with Delta's default log store (single writer); more only with "
        "a multi-writer-safe log store such as S3DynamoDBLogStore",
    )
    args = parser.parse_args(argv)
    if args.slots < 1:
        parser.error("--slots must be at least 1")
    try:
        decls = declarations.load(args.conf_dir)
    except declarations.DeclarationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(required_pools(decls, args.slots), sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
