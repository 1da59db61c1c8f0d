"""The PySpark API: the lake's tables, time travel and point-in-time training sets.

It wraps the application jar's ``lakehouse.app.LakeApi`` through py4j, the way delta-spark wraps
``io.delta.tables.DeltaTable``: the JVM does the work with the same code as ``bin/lakehouse``, so
a build from Python gives the same rows, manifest and run record as one from the CLI.

    >>> import lakehouse
    >>> lake = lakehouse.open_lake()                      # ./conf, env local, a new session
    >>> lake.table_names()
    ['bronze.events', ..., 'gold.customer_features', ...]
    >>> df = lake.read("silver.orders", version=3)
    >>> lake.sql("SELECT count(*) FROM silver.orders VERSION AS OF 3")
    >>> ts = lake.build_training_set("churn", spine=my_spine_df)
    >>> ts.df.count(), ts.manifest.content_hash
"""

from __future__ import annotations

import os
import warnings
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import (TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, NamedTuple, Optional,
                    Sequence, Union)

from .errors import LakehouseError, UsageError, from_java
from .manifest import Manifest

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

#: What a timestamp argument may be: ISO-8601 text (``2026-11-20T08:00:00Z``, ``2026-11-20``),
#: a ``datetime`` (naive ones are UTC) or a ``date`` (midnight UTC).
Timestamp = Union[str, datetime, date]
#: A duration: HOCON text (``15m``, ``1h``, ``2 days``) or a ``timedelta``.
Duration = Union[str, timedelta]
#: A spec: a name in ``<conf-dir>/training/``, a spec file, or the spec itself as a mapping.
Spec = Union[str, Path, Mapping[str, Any]]

JAR_VARIABLE = "LAKEHOUSE_JAR"
_API_CLASS = "lakehouse.app.LakeApi"


class TrainingSet(NamedTuple):
    """A built training set: its rows (the output at the version the build wrote) and manifest.

    Unpacks as a pair: ``df, manifest = lake.build_training_set(...)``.
    """

    df: "DataFrame"
    manifest: Manifest


class TableDiff:
    """The rows added, removed and changed in a table between two versions (``Lake.diff``).

    Attributes:
        rows: a DataFrame with ``_change`` (added, removed, changed), the key (or every) column,
            and for keyed diffs ``_changed_columns`` and ``from_<col>``/``to_<col>`` pairs.
        key: the key columns used; empty when whole rows were compared.
        method: ``change data feed`` or ``snapshot comparison``.
        note: why the change data feed was not used, or None.
    """

    def __init__(self, lake: "Lake", jresult: Any) -> None:
        from pyspark.sql import DataFrame

        self._lake = lake
        self._jresult = jresult
        self.table: str = str(jresult.table().toString())
        self.from_version: int = int(getattr(jresult, "from")())
        self.to_version: int = int(jresult.to())
        self.key: List[str] = [str(k) for k in jresult.key()]
        self.method: str = str(jresult.method().text())
        note = jresult.note()
        self.note: Optional[str] = None if note is None else str(note)
        self.rows: DataFrame = DataFrame(jresult.rows(), lake.spark)

    def summary(self) -> Dict[str, int]:
        """How many rows were ``added``, ``removed`` and ``changed`` (runs a Spark job)."""
        with self._lake._errors():
            counts = self._lake._api.diffSummary(self._jresult)
        return {str(k): int(v) for k, v in counts.items()}

    def __repr__(self) -> str:
        key = ", ".join(self.key) if self.key else "whole rows"
        return (f"TableDiff({self.table} {self.from_version} -> {self.to_version}, key {key}, "
                f"{self.method})")


class Lake:
    """The lake opened on a Spark session (see :func:`open_lake`).

    Every method raises a :class:`~lakehouse.errors.LakehouseError` subclass on failure, with the
    CLI's message and exit code. Methods that return a DataFrame are lazy like Spark: they check
    names and versions at once, and read data when an action runs.
    """

    def __init__(self, spark: "SparkSession", api: Any) -> None:
        self.spark = spark
        self._api = api

    # -- the lake ----------------------------------------------------------------------------

    @property
    def lake_root(self) -> str:
        """Where the tables live (``<lake_root>/<layer>/<name>``)."""
        return str(self._api.lakeRoot())

    @property
    def env(self) -> str:
        """The environment overlay in force."""
        return str(self._api.env())

    @property
    def conf_dir(self) -> str:
        """The configuration directory (specs are looked up in its ``training/``)."""
        return str(self._api.confDir())

    def table_names(self) -> List[str]:
        """Every table's logical name (``layer.name``), sorted."""
        with self._errors():
            return [str(n) for n in self._api.tableNames()]

    def tables(self, rows: bool = False) -> "DataFrame":
        """One row per table: name, layer, location, current version, and with ``rows=True``
        the row count (one Spark job per table, as ``bin/lakehouse tables``)."""
        with self._errors():
            frame = self._df(self._api.tables(bool(rows)))
        self._warn()
        return frame

    def refresh(self) -> List[str]:
        """Registers every table of the lake in the session's catalog, so that ``spark.sql`` on
        the session itself sees them all (tables other processes created since included);
        returns every table's name. :meth:`sql` and :meth:`table` need no refresh: they register
        the tables they name."""
        with self._errors():
            names = [str(n) for n in self._api.refresh()]
        self._warn()
        return names

    def sql(self, statement: str) -> "DataFrame":
        """Any Spark SQL statement over the lake's tables, as ``bin/lakehouse sql`` runs it
        (``VERSION AS OF`` / ``TIMESTAMP AS OF`` included): the tables it names are registered
        first, and only those.

        Raises:
            UsageError: a statement Spark cannot parse or analyse (an unknown table or column).
        """
        with self._errors():
            return self._df(self._api.sql(statement))

    def table(self, name: str) -> "DataFrame":
        """The table ``layer.name`` as ``spark.table`` reads it, registering it first.

        Raises:
            UsageError: no such table.
        """
        with self._errors():
            return self._df(self._api.table(name))

    def features(self, feature_set: Optional[str] = None, all_versions: bool = False) -> "DataFrame":
        """The feature registry (every feature set's registry table) as ``bin/lakehouse
        features`` lists it: current definitions, or with ``all_versions`` superseded and
        retired ones."""
        with self._errors():
            return self._df(self._api.features(feature_set, bool(all_versions)))

    # -- tables and time travel --------------------------------------------------------------

    def read(self, table: str, version: Optional[int] = None,
             timestamp: Optional[Timestamp] = None) -> "DataFrame":
        """A table now, at a Delta ``version``, or as of a ``timestamp`` (the latest version
        committed at or before it, by the table's in-commit timestamps, as ``--as-of``).

        Raises:
            UsageError: unknown table, a version it never had, both version and timestamp.
            DataError: a version the log no longer has (log clean-up).
        """
        with self._errors():
            return self._df(self._api.read(table, _long(version), _instant_text(timestamp)))

    def version_at(self, table: str, timestamp: Timestamp) -> int:
        """The version :meth:`read` reads for ``timestamp``."""
        with self._errors():
            return int(self._api.versionAt(table, _instant_text(timestamp)))

    def history(self, table: str, limit: int = 20) -> "DataFrame":
        """The table's newest ``limit`` versions, newest first: version, timestamp (in-commit),
        operation, operationParameters, operationMetrics (``bin/lakehouse history``)."""
        with self._errors():
            return self._df(self._api.history(table, int(limit)))

    def diff(self, table: str, from_version: int, to_version: int,
             key: Optional[Union[str, Sequence[str]]] = None, snapshots: bool = False) -> TableDiff:
        """The rows added, removed and changed between two versions (``bin/lakehouse diff``).

        Args:
            key: the columns that identify a row; None for the table's declared key
                (``lakehouse.key``), ``[]`` or ``""`` to compare whole rows.
            snapshots: compare the two snapshots even where the change data feed covers the
                range.
        """
        key_text = key if key is None or isinstance(key, str) else ",".join(key)
        with self._errors():
            result = self._api.diff(table, int(from_version), int(to_version), key_text,
                                    bool(snapshots))
            return TableDiff(self, result)

    # -- training sets -----------------------------------------------------------------------

    def build_training_set(
        self,
        spec: Spec,
        spine: Optional["DataFrame"] = None,
        *,
        keys: Optional[Sequence[str]] = None,
        event_time: Optional[str] = None,
        label: Optional[str] = None,
        spine_table: Optional[str] = None,
        as_of: Optional[Timestamp] = None,
        versions: Optional[Mapping[str, int]] = None,
        known_at: bool = False,
        serving_delay: Optional[Duration] = None,
        output: Optional[str] = None,
        run_id: Optional[str] = None,
    ) -> TrainingSet:
        """Builds a point-in-time correct training set and records it, like
        ``bin/lakehouse training-set build`` (a run in the run history, lineage events).

        Args:
            spec: a spec name (``conf/training/NAME.conf``), a spec file, or the spec as a
                mapping with the keys of a spec file (``event_time``, ``feature_time``,
                ``serving_delay`` may be written with underscores; a ``ttl`` may be a
                ``timedelta``). A mapping needs a ``name``.
            spine: any Spark DataFrame of rows to predict (Feast's ``entity_df``): the entity key
                columns, an event-time column and anything else (labels, ids), which passes
                through. None uses the spec's spine table or file. The rows are persisted as a
                new version of ``spine_table`` before the build, and the manifest names that
                version, so the build can be rebuilt from its manifest alone.
            keys, event_time, label: override the spec's spine key columns, event-time column and
                label column (for a DataFrame whose names differ from the spec's).
            spine_table: where a DataFrame spine is persisted (default ``gold._spine_<name>``,
                overwritten by each build; its versions stay, and the vacuum guard keeps those
                that recorded builds pin).
            as_of: read every input at its version committed at or before this time.
            versions: ``{table: version}`` pins; they win over ``as_of``.
            known_at: only feature values already servable at each event time (see
                docs/point-in-time.md, rule 7).
            serving_delay: with ``known_at``: how long a commit takes to reach serving.
            output: a table (``layer.name``) or a path instead of the spec's output.
            run_id: the run's id in the run history (default: a new UUID).

        Returns:
            The rows written (at the output version the build wrote) and the manifest.

        Raises:
            UsageError: a bad spec, argument or option; unknown tables or columns; mismatched
                key types; an output name clash. Raised before anything is written.
            DataError: a pinned version that is no longer readable.
            JobFailedError: anything unexpected (e.g. the spine DataFrame failed to compute).
        """
        spec_ref, spec_json = _spec_argument(spec)
        overrides: Dict[str, Any] = {}
        if keys is not None:
            overrides["keys"] = [keys] if isinstance(keys, str) else list(keys)
        if event_time is not None:
            overrides["event-time"] = event_time
        if label is not None:
            overrides["label"] = label
        import json

        spine_json = json.dumps(overrides) if overrides else None
        pins = [f"{table}={int(version)}" for table, version in (versions or {}).items()]
        jspine = None if spine is None else _java_frame(spine)
        with self._errors():
            text = self._api.buildTrainingSet(
                spec_ref, spec_json, spine_json, jspine, spine_table, _instant_text(as_of),
                pins, bool(known_at), _duration_text(serving_delay), output, run_id)
        self._warn()
        return self._training_set(Manifest.from_json(str(text)))

    def rebuild_training_set(self, build: Union[str, Path, Manifest], output: Optional[str] = None,
                             run_id: Optional[str] = None) -> TrainingSet:
        """Rebuilds a recorded training set from its manifest: the same rows (the same content
        hash) or a :class:`~lakehouse.errors.DataError` saying which version is gone or that the
        rows differ. Like ``bin/lakehouse training-set rebuild``.

        Args:
            build: a training set id (or a unique prefix of six or more characters), a manifest
                file, or a :class:`Manifest`.
            output: where to write (default ``<lake>/gold/_training_rebuilds/<name>/<id>``).
        """
        manifest_json = build.to_json() if isinstance(build, Manifest) else None
        ref = None if isinstance(build, Manifest) else str(build)
        with self._errors():
            text = self._api.rebuildTrainingSet(ref, manifest_json, output, run_id)
        self._warn()
        return self._training_set(Manifest.from_json(str(text)))

    def training_sets(self, name: Optional[str] = None) -> "DataFrame":
        """The recorded builds (``gold._training_sets``), newest first; only spec ``name``'s
        when given."""
        with self._errors():
            return self._df(self._api.trainingSets(name))

    def manifest(self, training_set_id: str) -> Manifest:
        """One recorded build's manifest (id or a unique prefix of six or more characters)."""
        with self._errors():
            return Manifest.from_json(str(self._api.manifest(training_set_id)))

    def describe_training_set(self, training_set_id: str) -> str:
        """One build explained, as ``bin/lakehouse training-set show ID`` prints it."""
        with self._errors():
            return str(self._api.describeTrainingSet(training_set_id))

    def training_set(self, build: Union[str, Manifest]) -> TrainingSet:
        """A recorded build's rows (its output at the version it wrote) and manifest."""
        manifest = build if isinstance(build, Manifest) else self.manifest(build)
        return self._training_set(manifest)

    # -- plumbing ----------------------------------------------------------------------------

    def _training_set(self, manifest: Manifest) -> TrainingSet:
        with self._errors():
            jdf = self._api.readTrainingSet(None, manifest.to_json())
        return TrainingSet(self._df(jdf), manifest)

    def _df(self, jdf: Any) -> "DataFrame":
        from pyspark.sql import DataFrame

        return DataFrame(jdf, self.spark)

    def _warn(self) -> None:
        text = str(self._api.takeWarnings())
        for line in text.splitlines():
            if line.strip():
                warnings.warn(line, RuntimeWarning, stacklevel=3)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turns a failure of a JVM call into its LakehouseError, without py4j's traceback."""
        with _java_errors(self.spark.sparkContext._jvm):
            yield

    def __repr__(self) -> str:
        return f"Lake({self.lake_root!r}, env={self.env!r})"


def open_lake(
    conf_dir: Optional[Union[str, Path]] = None,
    env: Optional[str] = None,
    conf: Optional[Union[Mapping[str, Any], Sequence[str]]] = None,
    *,
    spark: Optional["SparkSession"] = None,
    jar: Optional[Union[str, Path]] = None,
    spark_conf: Optional[Mapping[str, str]] = None,
    app_name: str = "lakehouse (python)",
) -> Lake:
    """Opens the lake: loads the settings as ``bin/lakehouse`` does. No table is registered in
    the session's catalog: :meth:`Lake.sql` and :meth:`Lake.table` register the tables they name,
    :meth:`Lake.refresh` every table (for ``spark.sql`` on the session itself).

    Args:
        conf_dir: the configuration directory (default ``$LAKEHOUSE_CONF_DIR``, else ``./conf``).
        env: the environment overlay (default ``$LAKEHOUSE_ENV``, else ``local``).
        conf: setting overrides, as ``--conf`` takes them: ``{"lakehouse.lake-root": "/data/lake"}``
            or ``["lakehouse.lake-root=/data/lake"]``.
        spark: the session to work on. Default: the active session if there is one (it must have
            the jar on its classpath and Delta Lake's extension and catalog), else a new one
            configured from the settings, as the CLI configures its own.
        jar: the application jar for a new session (default ``$LAKEHOUSE_JAR``).
        spark_conf: more Spark settings for a new session (e.g. ``spark.driver.memory``).
        app_name: the new session's application name.

    Raises:
        UsageError: a bad setting or environment, no jar, a session without Delta Lake.
    """
    overrides = _overrides(conf)
    conf_text = None if conf_dir is None else str(Path(conf_dir).resolve())
    if spark is None:
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession()
    if spark is None:
        spark = _start_session(conf_text, env, overrides, jar, spark_conf or {}, app_name)
    jvm = spark.sparkContext._jvm
    api_class = _api_class(jvm)
    with _java_errors(jvm):
        api = api_class.open(spark._jsparkSession, conf_text, env, overrides)
    return Lake(spark, api)


def _start_session(conf_dir: Optional[str], env: Optional[str], overrides: List[str],
                   jar: Optional[Union[str, Path]], spark_conf: Mapping[str, str],
                   app_name: str) -> "SparkSession":
    from pyspark import SparkConf, SparkContext
    from pyspark.sql import SparkSession

    jar_path = _find_jar(jar)
    spark_conf = dict(spark_conf)
    # Spark logs as the CLI does (conf/log4j2.properties), unless the caller says otherwise.
    log4j = Path(conf_dir or os.environ.get("LAKEHOUSE_CONF_DIR") or "conf") / "log4j2.properties"
    if "spark.driver.extraJavaOptions" not in spark_conf and log4j.is_file():
        spark_conf["spark.driver.extraJavaOptions"] = \
            f"-Dlog4j2.configurationFile={log4j.resolve().as_uri()}"
    spark_conf.setdefault("spark.ui.showConsoleProgress", "false")
    if SparkContext._gateway is None:
        # Start the JVM with the jar on its classpath first: the settings are read there.
        launch = SparkConf()
        launch.set("spark.jars", jar_path)
        for key, value in spark_conf.items():
            launch.set(key, str(value))
        SparkContext._ensure_initialized(conf=launch)
    jvm = SparkContext._jvm
    with _java_errors(jvm):
        session_conf = dict(_api_class(jvm).sessionConf(conf_dir, env, overrides))
    builder = SparkSession.builder.appName(app_name)
    for key, value in session_conf.items():
        builder = builder.config(str(key), str(value))
    for key, value in spark_conf.items():
        builder = builder.config(key, str(value))
    return builder.config("spark.jars", jar_path).getOrCreate()


def _api_class(jvm: Any) -> Any:
    from py4j.java_gateway import JavaClass

    api = jvm.lakehouse.app.LakeApi
    if not isinstance(api, JavaClass):
        raise UsageError(
            "the Spark session's JVM does not have the lakehouse jar: start the session with "
            f"spark.jars=<app/target/lakehouse.jar> (or let open_lake() start it, with jar= or "
            f"${JAR_VARIABLE})")
    return api


def _find_jar(jar: Optional[Union[str, Path]]) -> str:
    candidate = jar if jar is not None else os.environ.get(JAR_VARIABLE)
    if not candidate:
        raise UsageError(
            f"no application jar: pass jar= or set ${JAR_VARIABLE} (build it with 'mvn package'; "
            "it is app/target/lakehouse.jar)")
    path = Path(candidate).expanduser().resolve()
    if not path.is_file():
        raise UsageError(f"application jar {path} does not exist (build it with 'mvn package')")
    return str(path)


@contextmanager
def _java_errors(jvm: Any) -> Iterator[None]:
    from py4j.protocol import Py4JJavaError

    try:
        from pyspark.errors.exceptions.captured import CapturedException
    except ImportError:  # pragma: no cover - pyspark < 3.4
        CapturedException = Py4JJavaError  # type: ignore[misc,assignment]
    try:
        yield
    except LakehouseError:
        raise
    except (Py4JJavaError, CapturedException) as error:
        raise from_java(error, jvm) from None


def _overrides(conf: Optional[Union[Mapping[str, Any], Sequence[str]]]) -> List[str]:
    if conf is None:
        return []
    if isinstance(conf, Mapping):
        return [f"{key}={_hocon_value(value)}" for key, value in conf.items()]
    if isinstance(conf, str):
        return [conf]
    return [str(item) for item in conf]


def _hocon_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, timedelta):
        return _duration_text(value) or "0s"
    return str(value)


def _long(value: Optional[int]) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"a version must be a whole number, got {value!r}")
    return int(value)


def _instant_text(value: Optional[Timestamp]) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise UsageError(f"a timestamp must be text, a datetime or a date, got {value!r}")


def _duration_text(value: Optional[Duration]) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, timedelta):
        micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
        return f"{micros}us"
    raise UsageError(f"a duration must be text such as 15m or a timedelta, got {value!r}")


#: Spec keys that Python code may write with underscores, per block.
_KEBAB = {"spine": {"event_time": "event-time"},
          "features": {"feature_time": "feature-time"},
          "knowledge": {"serving_delay": "serving-delay"}}


def _spec_argument(spec: Spec) -> "tuple[Optional[str], Optional[str]]":
    """(name or file, None) for a spec reference; (None, JSON) for a spec mapping."""
    import json

    if isinstance(spec, (str, Path)):
        return str(spec), None
    if not isinstance(spec, Mapping):
        raise UsageError(f"a spec is a name, a file or a mapping, got {type(spec).__name__}")
    doc = _jsonable(dict(spec))
    if isinstance(doc.get("spine"), dict):
        doc["spine"] = _rename(doc["spine"], _KEBAB["spine"])
    if isinstance(doc.get("features"), list):
        doc["features"] = [_rename(f, _KEBAB["features"]) if isinstance(f, dict) else f
                           for f in doc["features"]]
    if isinstance(doc.get("knowledge"), dict):
        doc["knowledge"] = _rename(doc["knowledge"], _KEBAB["knowledge"])
    return None, json.dumps(doc)


def _rename(block: Dict[str, Any], names: Mapping[str, str]) -> Dict[str, Any]:
    return {names.get(key, key): value for key, value in block.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, timedelta):
        return _duration_text(value)
    if isinstance(value, (datetime, date)):
        return _instant_text(value)
    return value


def _java_frame(spine: Any) -> Any:
    from pyspark.sql import DataFrame

    if not isinstance(spine, DataFrame):
        kind = type(spine).__module__ + "." + type(spine).__name__
        hint = " (convert it first: spark.createDataFrame(pandas_df))" if "pandas" in kind else ""
        raise UsageError(f"the spine must be a Spark DataFrame, got {kind}{hint}")
    return spine._jdf


__all__ = ["Lake", "TableDiff", "TrainingSet", "open_lake", "JAR_VARIABLE"]
