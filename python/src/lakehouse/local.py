"""Read the lake into pandas without Spark or a JVM: for laptops and quick looks.

Reading only: writing stays with Spark, the lake's one writer. The reader is the ``deltalake``
package (delta-rs), which reads the lake's tables as they are: they have reader version 1 (no
reader features), and the writer features the lake turns on (row tracking, in-commit timestamps,
change data feed, domain metadata) concern writers only. Time travel by timestamp resolves with
the in-commit timestamps in the log, as ``--as-of`` and ``Lake.read(timestamp=...)`` do.

    >>> from lakehouse.local import LocalLake
    >>> lake = LocalLake("work/lake")
    >>> lake.read("gold.customer_features", version=3).shape
    >>> lake.training_set("churn-20261121T060000Z-3fa9c1").head()
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

from .errors import DataError, UsageError
from .manifest import Manifest

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Where the lake is when no root is given (the same variable as ``lakehouse.lake-root``).
LAKE_ROOT_VARIABLE = "LAKEHOUSE_LAKE_ROOT"
MANIFEST_TABLE = "gold._training_sets"


class LocalLake:
    """The lake's tables as pandas DataFrames, read with ``deltalake`` (no JVM).

    Args:
        lake_root: the lake's root: a local path, a ``file:`` URI or an object store URI
            (``s3://``; ``s3a://`` is read as ``s3://``). Default ``$LAKEHOUSE_LAKE_ROOT``, else
            ``work/lake`` (``conf/application.conf``'s default).
        storage_options: passed to ``deltalake`` (credentials and endpoint of an object store;
            without them it reads the usual ``AWS_*`` environment variables).
    """

    def __init__(self, lake_root: Optional[Union[str, Path]] = None,
                 storage_options: Optional[Mapping[str, str]] = None) -> None:
        root = str(lake_root) if lake_root is not None else os.environ.get(LAKE_ROOT_VARIABLE, "work/lake")
        self.lake_root: str = _location(root)
        self.storage_options: Dict[str, str] = dict(storage_options or {})

    # -- tables ------------------------------------------------------------------------------

    def location(self, table: str) -> str:
        """Where a table (``layer.name``) lives: ``<lake_root>/<layer>/<name>``."""
        layer, name = _parse(table)
        return f"{self.lake_root.rstrip('/')}/{layer}/{name}"

    def tables(self) -> List[str]:
        """Every table under the lake root (a ``_delta_log`` with a commit), sorted."""
        import pyarrow.fs as pafs

        fs, root = _filesystem(self.lake_root)
        found: List[str] = []
        for layer in fs.get_file_info(pafs.FileSelector(root, allow_not_found=True)):
            if layer.type != pafs.FileType.Directory or not _is_name(layer.base_name):
                continue
            for table in fs.get_file_info(pafs.FileSelector(layer.path)):
                if table.type != pafs.FileType.Directory or not _is_name(table.base_name):
                    continue
                log = fs.get_file_info(pafs.FileSelector(table.path + "/_delta_log",
                                                         allow_not_found=True))
                if any(entry.base_name.endswith(".json") and entry.base_name[:20].isdigit()
                       for entry in log):
                    found.append(f"{layer.base_name}.{table.base_name}")
        return sorted(found)

    def latest_version(self, table: str) -> int:
        """The table's latest committed version."""
        return int(self._table(table).version())

    def history(self, table: str, limit: Optional[int] = None) -> "pd.DataFrame":
        """The table's retained versions, newest first: version, timestamp (the in-commit
        timestamp, UTC), operation, operation_parameters, user_metadata."""
        import pandas as pd

        commits = self._table(table).history(limit)
        rows = [{
            "version": int(c["version"]),
            "timestamp": _commit_time(c),
            "operation": c.get("operation"),
            "operation_parameters": c.get("operationParameters"),
            "user_metadata": c.get("userMetadata"),
        } for c in commits]
        frame = pd.DataFrame(rows, columns=["version", "timestamp", "operation",
                                            "operation_parameters", "user_metadata"])
        return frame.sort_values("version", ascending=False, ignore_index=True)

    def version_at(self, table: str, timestamp: Union[str, datetime, date]) -> int:
        """The latest version committed at or before ``timestamp`` (in-commit timestamps)."""
        at = _instant(timestamp)
        commits = sorted(((int(c["version"]), _commit_time(c)) for c in self._table(table).history()),
                         key=lambda vc: vc[0])
        before = [version for version, committed in commits if committed <= at]
        if not before:
            first = commits[0][1].isoformat() if commits else "none"
            raise UsageError(f"{table} has no version committed at or before {at.isoformat()} "
                             f"(its oldest available commit is at {first})")
        return before[-1]

    def read(self, table: str, version: Optional[int] = None,
             timestamp: Optional[Union[str, datetime, date]] = None,
             columns: Optional[Sequence[str]] = None) -> "pd.DataFrame":
        """A table now, at a Delta ``version``, or as of a ``timestamp``, as pandas.

        Raises:
            UsageError: unknown table, a version it never had, both version and timestamp.
            DataError: a version whose log entries or data files are gone (log clean-up, VACUUM).
        """
        if version is not None and timestamp is not None:
            raise UsageError(f"read {table}: give a version or a timestamp, not both")
        if timestamp is not None:
            version = self.version_at(table, timestamp)
        return self._read(table, self.location(table), version, columns)

    # -- training sets -----------------------------------------------------------------------

    def training_sets(self, name: Optional[str] = None) -> "pd.DataFrame":
        """The recorded builds (``gold._training_sets``), newest first."""
        frame = self.read(MANIFEST_TABLE)
        if name is not None:
            frame = frame[frame["name"] == name]
        return frame.sort_values("built_at", ascending=False, ignore_index=True)

    def manifest(self, training_set_id: str) -> Manifest:
        """A recorded build's manifest (id, or a unique prefix of six or more characters)."""
        frame = self.read(MANIFEST_TABLE)
        ids = [str(i) for i in frame["training_set_id"]]
        matches = [i for i in ids if i == training_set_id
                   or (len(training_set_id) >= 6 and i.startswith(training_set_id))]
        if not matches:
            raise UsageError(f"unknown training set '{training_set_id}' (see 'training-set list')")
        if len(matches) > 1:
            raise UsageError(f"training set id prefix '{training_set_id}' matches "
                             + ", ".join(sorted(matches)))
        row = frame[frame["training_set_id"] == matches[0]].iloc[0]
        return _manifest(row)

    def training_set(self, build: Union[str, Manifest]) -> "pd.DataFrame":
        """The rows a recorded build wrote: its output at the version it wrote."""
        manifest = build if isinstance(build, Manifest) else self.manifest(build)
        where = manifest.output_table or manifest.output_location
        return self._read(where, _location(manifest.output_location), manifest.output_version,
                          None)

    # -- plumbing ----------------------------------------------------------------------------

    def _table(self, table: str) -> Any:
        return self._open(table, self.location(table), None)

    def _open(self, table: str, location: str, version: Optional[int]) -> Any:
        from deltalake import DeltaTable

        try:
            dt = DeltaTable(location, storage_options=self.storage_options or None)
        except Exception as error:  # deltalake's TableNotFoundError and friends
            if _looks_missing(error):
                raise UsageError(f"unknown table '{table}' (no Delta table at {location})") from None
            raise
        if version is None:
            return dt
        latest = int(dt.version())
        if version < 0:
            raise UsageError(f"version must be a version number (0 or more), got {version}")
        if version > latest:
            raise UsageError(f"table {table} has no version {version} (its versions are 0 to "
                             f"{latest}; see 'history {table}')")
        try:
            dt.load_as_version(version)
        except Exception as error:
            raise DataError(f"version {version} of table {table} is no longer readable: the Delta "
                            f"log no longer has it (log clean-up) ({_first_line(error)})") from None
        return dt

    def _read(self, table: str, location: str, version: Optional[int],
              columns: Optional[Sequence[str]]) -> "pd.DataFrame":
        dt = self._open(table, location, version)
        try:
            return dt.to_pandas(columns=list(columns) if columns is not None else None)
        except Exception as error:
            if _looks_missing(error):
                shown = dt.version() if version is None else version
                raise DataError(f"version {shown} of table {table} is no longer readable: its data "
                                f"files were removed (by VACUUM) ({_first_line(error)})") from None
            raise

    def __repr__(self) -> str:
        return f"LocalLake({self.lake_root!r})"


def _manifest(row: Any) -> Manifest:
    def mapping(value: Any) -> Dict[str, Any]:
        if value is None:
            return {}
        if isinstance(value, Mapping):
            return dict(value)
        try:
            return {k: v for k, v in value}  # pyarrow maps arrive as (key, value) pairs
        except TypeError:
            return {}

    def optional(value: Any) -> Any:
        try:
            import pandas as pd

            return None if value is None or pd.isna(value) else value
        except (TypeError, ValueError):
            return value

    built_at = row["built_at"]
    built = built_at.to_pydatetime() if hasattr(built_at, "to_pydatetime") else built_at
    doc: Dict[str, Any] = {
        "training_set_id": row["training_set_id"],
        "name": row["name"],
        "built_at": _instant(built).isoformat().replace("+00:00", "Z"),
        "knowledge_mode": row["knowledge_mode"],
        "as_of": optional(row.get("as_of")),
        "serving_delay": optional(row.get("serving_delay")),
        "spine_source": row["spine_source"],
        "spine_version": optional(row.get("spine_version")),
        "feature_versions": {k: int(v) for k, v in mapping(row.get("feature_versions")).items()},
        "output_location": row["output_location"],
        "output_table": optional(row.get("output_table")),
        "output_version": optional(row.get("output_version")),
        "row_count": int(row["row_count"]),
        "content_hash": row["content_hash"],
        "rebuilt_from": optional(row.get("rebuilt_from")),
        "feature_null_rates": {k: float(v) for k, v in mapping(row.get("feature_null_rates")).items()},
        "label_counts": {k: int(v) for k, v in mapping(row.get("label_counts")).items()},
        "rules": optional(row.get("rules")),
        "spec": json.loads(row["spec"]),
    }
    for key in ("spine_version", "output_version", "rules"):
        if doc[key] is not None:
            doc[key] = int(doc[key])
    return Manifest.from_json({k: v for k, v in doc.items() if v is not None})


def _location(root: str) -> str:
    """A location deltalake and pyarrow read: ``file:`` URIs as paths, ``s3a://`` as ``s3://``."""
    if root.startswith("file:"):
        path = root[len("file:"):]
        while path.startswith("//"):
            path = path[1:]
        return path
    if root.startswith("s3a://") or root.startswith("s3n://"):
        return "s3://" + root[6:]
    if "://" in root:
        return root
    return str(Path(root).expanduser().resolve())


def _filesystem(location: str) -> "tuple[Any, str]":
    import pyarrow.fs as pafs

    if "://" in location:
        return pafs.FileSystem.from_uri(location)
    return pafs.LocalFileSystem(), location


def _parse(table: str) -> "tuple[str, str]":
    parts = table.strip().split(".") if isinstance(table, str) else []
    if len(parts) != 2 or not all(_is_name(p) for p in parts):
        raise UsageError(f"table name '{table}' must be <layer>.<name>, e.g. silver.orders")
    return parts[0], parts[1]


def _is_name(part: str) -> bool:
    import re

    return re.fullmatch(r"[a-z_][a-z0-9_]*", part) is not None


def _commit_time(commit: Mapping[str, Any]) -> datetime:
    millis = commit.get("inCommitTimestamp", commit.get("timestamp"))
    return datetime.fromtimestamp(int(millis) / 1000.0, tz=timezone.utc)


def _instant(value: Union[str, datetime, date]) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    text = str(value).strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    except ValueError:
        raise UsageError(f"timestamp must be a timestamp such as 2026-11-20T08:00:00Z or "
                         f"2026-11-20, got '{value}'") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _looks_missing(error: BaseException) -> bool:
    text = f"{type(error).__name__} {error}".lower()
    return any(word in text for word in ("notfound", "not found", "no such file", "not a delta table",
                                         "no files in log segment", "tablenotfound"))


def _first_line(error: BaseException) -> str:
    return str(error).strip().split("\n", 1)[0]


__all__ = ["LocalLake", "LAKE_ROOT_VARIABLE", "MANIFEST_TABLE"]
