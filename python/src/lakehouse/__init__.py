"""Python access to the lakehouse, for data scientists.

Two ways in:

* :func:`open_lake` — the PySpark API over the application jar (``app/target/lakehouse.jar``,
  through py4j): list tables and features, read any table at a version or timestamp, history and
  diff, and build point-in-time correct training sets from a spec name, a spec mapping and any
  Spark DataFrame as the spine; list, show and rebuild builds. A build returns the rows and the
  :class:`Manifest`. Needs ``pyspark`` 3.5 and Java 17.
* :class:`LocalLake` (``lakehouse.local``) — read a table at a version, or a recorded training
  set, into pandas without a JVM (``deltalake``). Writing stays with Spark.

Failures are :class:`LakehouseError` subclasses with the CLI's one-line message and exit code:
:class:`UsageError` (2), :class:`QualityGateError` (3), :class:`DataError` (4),
:class:`ConcurrentWriterError` (5), :class:`JobFailedError` (1).
"""

from __future__ import annotations

from typing import Any

from .errors import (ConcurrentWriterError, DataError, JobFailedError, LakehouseError,
                     QualityGateError, UsageError)
from .manifest import Manifest

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The Spark API imports pyspark and the reader imports deltalake only when used, so that a
    # laptop with only one of them installed can use the other.
    if name in ("open_lake", "Lake", "TrainingSet", "TableDiff"):
        from . import spark

        return getattr(spark, name)
    if name == "LocalLake":
        from .local import LocalLake

        return LocalLake
    raise AttributeError(f"module 'lakehouse' has no attribute {name!r}")


__all__ = [
    "open_lake", "Lake", "TrainingSet", "TableDiff", "LocalLake", "Manifest",
    "LakehouseError", "UsageError", "QualityGateError", "DataError", "ConcurrentWriterError",
    "JobFailedError",
]
