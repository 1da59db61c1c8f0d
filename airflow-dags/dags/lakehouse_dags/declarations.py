"""The lakehouse declarations under ``conf/``, read the way the jobs read them.

The DAGs are generated from the same HOCON files the application jar reads, so declaring a new
source, table contract, feature set or training set is a new ``.conf`` file and nothing else:

* ``conf/sources/NAME.conf``   -> bronze job ``run bronze --source NAME``, writes ``bronze.NAME``
* ``conf/tables/NAME.conf``    -> silver job ``run silver --table NAME``, writes ``silver.NAME``
  (and its quarantine), reads the bronze table named by ``source``
* ``conf/features/NAME.conf``  -> gold job ``run gold --feature-set NAME``, writes ``gold.NAME``,
  reads every ``sources.*.table``
* ``conf/training/NAME.conf``  -> ``training-set build --spec NAME``, writes ``output``
  (default ``gold.training_NAME``), reads the spine table and every ``features[*].table``

Only the keys that decide the task graph are read here (what a job writes and reads); the jar
validates everything else and reports its own errors with exit code 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from pyhocon import ConfigFactory, ConfigTree

#: Declaration folders below the configuration directory, in pipeline order.
LAYER_FOLDERS = {"bronze": "sources", "silver": "tables", "gold": "features", "training": "training"}

#: Tables every job of every layer writes. None: a job writes its run record as an object of its
#: own (lakehouse.common.ops.RunHistory), and only the fold task writes the run history table.
COMMON_TABLES: tuple[str, ...] = ()

#: The training-set manifests (lakehouse.training.TrainingSetManifests.TABLE): every build
#: appends its manifest, so builds share its writer group.
TRAINING_MANIFESTS = "gold._training_sets"

#: The run history (lakehouse.common.ops.RunHistory.TABLE): written by the daily DAG's last task
#: (``runs --fold``) alone.
RUN_HISTORY = "_ops.runs"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TABLE_ID = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")


class DeclarationError(ValueError):
    """A declaration the DAGs cannot be built from; the message names the file."""


@dataclass(frozen=True)
class Job:
    """One job of the pipeline: which declaration it runs, what it writes and reads.

    ``writes`` and ``reads`` are table ids (``layer.name``); they decide the task graph and the
    pool that keeps a Delta table to one writer at a time.
    """

    layer: str
    name: str
    file: Path
    writes: str
    reads: tuple[str, ...] = field(default=())
    #: Tables every job of the layer writes besides its own (metrics, registries).
    shared: tuple[str, ...] = field(default=())
    #: Tables of this job alone besides ``writes`` (rejects, quarantine, ingested-files log).
    own: tuple[str, ...] = field(default=())

    def written(self) -> tuple[str, ...]:
        return (self.writes, *self.own, *self.shared)


@dataclass(frozen=True)
class Declarations:
    """Every declared job of one configuration directory."""

    conf_dir: Path
    bronze: tuple[Job, ...]
    silver: tuple[Job, ...]
    gold: tuple[Job, ...]
    training: tuple[Job, ...]

    def daily_jobs(self) -> tuple[Job, ...]:
        """The jobs of one day, in layer order: bronze, silver, gold."""
        return self.bronze + self.silver + self.gold

    def writer_of(self, table: str) -> Job | None:
        """The daily job that writes ``table``, or None when no daily job does."""
        for job in self.daily_jobs():
            if job.writes == table:
                return job
        return None

    def all_jobs(self) -> tuple[Job, ...]:
        return self.daily_jobs() + self.training

    def tables(self) -> tuple[str, ...]:
        """Every table a declared job writes (daily layers, training sets, shared tables) and the
        run history, sorted."""
        return tuple(sorted({RUN_HISTORY, *(table for job in self.all_jobs() for table in job.written())}))

    def writer_groups(self) -> dict[str, tuple[str, ...]]:
        """Tables that must share one writer slot, keyed by the group's most written table (a
        table a job is declared to write before its side tables).

        Two jobs that write a common table (e.g. every silver job appends to the quality metrics)
        can never run at the same time, so their tables fall into one group: the connected
        components of the "written by the same job" relation. Jobs whose tables are apart run
        side by side. The run history is a group of its own: jobs only drop their run records.
        """
        tables = self.tables()
        parent: dict[str, str] = {table: table for table in tables}

        def find(table: str) -> str:
            while parent[table] != table:
                parent[table] = parent[parent[table]]
                table = parent[table]
            return table

        written = [job.written() for job in self.all_jobs()]
        for first, *rest in written:
            for table in rest:
                parent[find(table)] = find(first)
        groups: dict[str, list[str]] = {}
        for table in tables:
            groups.setdefault(find(table), []).append(table)
        writers = {table: sum(table in job for job in written) for table in tables}
        declared = {job.writes for job in self.all_jobs()}
        return {
            min(members, key=lambda table: (-writers[table], table not in declared, table)): tuple(members)
            for members in sorted(groups.values())
        }

    def group_of(self, table: str) -> str:
        """The key of the writer group ``table`` belongs to."""
        for key, members in self.writer_groups().items():
            if table in members:
                return key
        raise KeyError(table)


def load(conf_dir: str | Path, common_tables: tuple[str, ...] = COMMON_TABLES) -> Declarations:
    """Reads every declaration below ``conf_dir``; raises DeclarationError on the first bad file.

    ``common_tables`` are written by every job, on top of each layer's shared tables.
    """
    # Absolute: the jobs get it as --conf-dir and run in another working directory.
    conf_dir = Path(conf_dir).resolve()
    if not conf_dir.is_dir():
        raise DeclarationError(f"configuration directory {conf_dir} does not exist")
    application = _application(conf_dir)  # parsed once: DAG files are parsed often
    layer_tables = shared_tables(application)
    shared = {
        layer: tuple(sorted({*layer_tables.get(layer, ()), *common_tables})) for layer in LAYER_FOLDERS
    }
    # A source's declaration says how to read its files, nothing the task graph needs.
    files_prefix = _table_prefix(application, "lakehouse.bronze.files-table-prefix", "_ops.bronze_files_")
    registry_prefix = _table_prefix(application, "lakehouse.gold.registry-table-prefix", "gold._feature_registry_")
    # A gold run with profiling or the drift gate on also writes its set's profiles and drift.
    gold_side = (
        registry_prefix,
        _table_prefix(application, "lakehouse.gold.drift.profile-table-prefix", "gold._feature_profiles_"),
        _table_prefix(application, "lakehouse.gold.drift.drift-table-prefix", "gold._feature_drift_"),
    )
    bronze = tuple(
        Job("bronze", name, path, writes=f"bronze.{name}", shared=shared.get("bronze", ()),
            own=(f"bronze.{name}_rejects", f"{files_prefix}{name}"))
        for name, path in _list_folder(conf_dir, "sources")
    )
    silver = tuple(
        replace(_silver_job(name, path, tree), shared=shared.get("silver", ()),
                own=(f"silver.{name}_quarantine", f"silver.{name}_quality_metrics"))
        for name, path, tree in _read_folder(conf_dir, "tables")
    )
    gold = tuple(
        replace(_gold_job(name, path, tree), shared=shared.get("gold", ()),
                own=tuple(f"{prefix}{name}" for prefix in gold_side))
        for name, path, tree in _read_folder(conf_dir, "features")
    )
    training = tuple(
        replace(_training_job(name, path, tree),
                shared=tuple(sorted({*shared.get("training", ()), TRAINING_MANIFESTS})))
        for name, path, tree in _read_folder(conf_dir, "training")
    )
    declarations = Declarations(conf_dir, bronze, silver, gold, training)
    _check_single_writer(declarations)
    return declarations


def _application(conf_dir: Path) -> ConfigTree | None:
    """``application.conf`` parsed (unresolved), or None when there is none."""
    application = conf_dir / "application.conf"
    if not application.is_file():
        return None
    try:
        return ConfigFactory.parse_file(str(application), resolve=False)
    except Exception as error:  # pyhocon raises its own, pyparsing's and ValueError
        raise DeclarationError(f"{application}: cannot be parsed: {error}") from error


def _table_prefix(application: ConfigTree | None, key: str, default: str) -> str:
    """A per-job table's name prefix from ``application.conf``: each source's ingested-files log
    is ``<lakehouse.bronze.files-table-prefix><source>`` (lakehouse.bronze.BronzeSettings), each
    feature set's registry ``<lakehouse.gold.registry-table-prefix><set>`` (GoldSettings), its
    profiles and drift ``<lakehouse.gold.drift.*-table-prefix><set>``."""
    try:
        prefix = application.get(key, None) if application is not None else None
    except Exception:  # a key of another type on the way: the default, as for no key
        prefix = None
    return prefix.strip() if isinstance(prefix, str) and prefix.strip() else default


def shared_tables(application: ConfigTree | None) -> dict[str, tuple[str, ...]]:
    """Per layer, the tables named by its settings in ``application.conf`` (keys ``*-table``).

    Every job of the layer writes them (metrics, registries), so they decide which
    jobs may run side by side. Environment overlays are not consulted: they move tables, they do
    not add writers.
    """
    if application is None:
        return {}
    lakehouse = application.get("lakehouse", None)
    result: dict[str, tuple[str, ...]] = {}
    if not isinstance(lakehouse, ConfigTree):
        return result
    for layer in LAYER_FOLDERS:
        block = lakehouse.get(layer, None)
        if not isinstance(block, ConfigTree):
            continue
        tables = [
            str(block.get(key)).strip()
            for key in block.keys()
            if key.endswith("-table") and isinstance(block.get(key), str)
            and _TABLE_ID.match(str(block.get(key)).strip())
        ]
        if tables:
            result[layer] = tuple(sorted(set(tables)))
    return result


def _list_folder(conf_dir: Path, folder: str) -> list[tuple[str, Path]]:
    directory = conf_dir / folder
    if not directory.is_dir():
        return []
    result = []
    for path in sorted(directory.glob("*.conf")):
        name = path.stem
        if not _NAME.match(name):
            raise DeclarationError(
                f"{path}: file name '{name}' must be lower case letters, digits and underscores"
            )
        result.append((name, path))
    return result


def _read_folder(conf_dir: Path, folder: str) -> list[tuple[str, Path, ConfigTree]]:
    result = []
    for name, path in _list_folder(conf_dir, folder):
        try:
            # Unresolved: declarations may refer to application settings (${lakehouse.…}) that
            # only the jar's full configuration defines; the keys read here are plain values.
            tree = ConfigFactory.parse_file(str(path), resolve=False)
        except Exception as error:  # pyhocon raises its own, pyparsing's and ValueError
            raise DeclarationError(f"{path}: cannot be parsed: {error}") from error
        result.append((name, path, tree))
    return result


def _silver_job(name: str, path: Path, tree: ConfigTree) -> Job:
    source = _table_id(path, tree, "source")
    return Job("silver", name, path, writes=f"silver.{name}", reads=(source,))


def _gold_job(name: str, path: Path, tree: ConfigTree) -> Job:
    sources = tree.get("sources", None)
    if not isinstance(sources, ConfigTree) or not sources:
        raise DeclarationError(f"{path}: 'sources' must be an object of named sources")
    reads = []
    for key in sources.keys():
        source = sources.get(key)
        if not isinstance(source, ConfigTree):
            raise DeclarationError(f"{path}: 'sources.{key}' must be an object with a 'table'")
        reads.append(_table_id(path, source, "table", where=f"sources.{key}."))
    return Job("gold", name, path, writes=f"gold.{name}", reads=tuple(dict.fromkeys(reads)))


def _training_job(name: str, path: Path, tree: ConfigTree) -> Job:
    reads = []
    spine = tree.get("spine", None)
    if isinstance(spine, ConfigTree) and "table" in spine:
        reads.append(_table_id(path, spine, "table", where="spine."))
    features = tree.get("features", None)
    if not isinstance(features, list) or not features:
        raise DeclarationError(f"{path}: 'features' must be a list of feature table references")
    for index, feature in enumerate(features):
        if not isinstance(feature, ConfigTree):
            raise DeclarationError(f"{path}: 'features[{index}]' must be an object with a 'table'")
        reads.append(_table_id(path, feature, "table", where=f"features[{index}]."))
    output = str(tree.get("output", f"gold.training_{name}"))
    # A path output is not a table of the lake: it gets a pool of its own name all the same.
    writes = output if _TABLE_ID.match(output) else f"path.{re.sub(r'[^a-z0-9_]', '_', output.lower())}"
    return Job("training", name, path, writes=writes, reads=tuple(dict.fromkeys(reads)))


def _table_id(path: Path, tree: ConfigTree, key: str, where: str = "") -> str:
    value = tree.get(key, None)
    if value is not None and not isinstance(value, (str, int, float)):
        raise DeclarationError(f"{path}: '{where}{key}' must be a literal table id <layer>.<name>")
    if value is None:
        raise DeclarationError(f"{path}: '{where}{key}' is required (a table such as silver.orders)")
    value = str(value).strip()
    if not _TABLE_ID.match(value):
        raise DeclarationError(f"{path}: '{where}{key}' must be a table id <layer>.<name>, got '{value}'")
    return value


def _check_single_writer(declarations: Declarations) -> None:
    """Two declarations writing one table would race on its Delta log: refuse to build the DAG."""
    seen: dict[str, Job] = {}
    for job in declarations.all_jobs():
        other = seen.get(job.writes)
        if other is not None:
            raise DeclarationError(
                f"{job.file} and {other.file} both write {job.writes}; a Delta table has one writer"
            )
        seen[job.writes] = job
