"""Shared fixtures: a throwaway Airflow home, the DAG bag, the application jar, the sample data,
one real local-mode run of lakehouse_daily, and a pyspark session that reads Delta tables.

Airflow reads its configuration when it is first imported, so the environment is set here,
before any test module imports it.
"""

from __future__ import annotations

from contextlib import contextmanager

import functools
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
AIRFLOW_DAGS = TESTS.parent
DAGS = AIRFLOW_DAGS / "dags"
REPOSITORY = AIRFLOW_DAGS.parent
#: The declarations the tests run: the repository's conf/ unless LAKEHOUSE_CONF_DIR names another.
REPOSITORY_CONF = Path(os.environ.get("LAKEHOUSE_CONF_DIR") or REPOSITORY / "conf").resolve()
VENV_BIN = Path(sys.executable).parent

_HOME = Path(tempfile.mkdtemp(prefix="lakehouse-airflow-home-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_HOME}/airflow.db",
        "AIRFLOW__LAKEHOUSE__CONF_DIR": str(REPOSITORY_CONF),
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        # dag.test() waits out a retry delay in real time: keep the retries, shorten the wait.
        "AIRFLOW__LAKEHOUSE__RETRY_DELAY_SECONDS": "2",
        # Drivers, executors, master and workers all on loopback.
        "SPARK_LOCAL_IP": "127.0.0.1",
        # spark-submit and spark-class of the pyspark 3.5.7 distribution in this venv.
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
)
sys.path.insert(0, str(DAGS))


@functools.cache
def repository_declarations():
    """The declarations of REPOSITORY_CONF, loaded once a session: the tests only read them (a
    frozen dataclass), and each declarations.load() parses every HOCON file with pyhocon, which
    costs about a second of CPU."""
    from lakehouse_dags import declarations

    return declarations.load(REPOSITORY_CONF)

#: The day of the sample the pipeline runs in the end-to-end tests, and the sample's shape.
SAMPLE_START = "2024-03-01"
RUN_DATE = "2024-03-01"
SAMPLE_DAYS = 2
SAMPLE_CUSTOMERS = 50


def _interrupt(signum, frame):
    # A CI timeout sends SIGTERM: end the session like Ctrl-C, so fixtures tear down (the
    # standalone cluster is stopped) instead of the process dying with its children left behind.
    raise KeyboardInterrupt(f"signal {signum}")


signal.signal(signal.SIGTERM, _interrupt)


def airflow_home() -> Path:
    """The throwaway AIRFLOW_HOME of this test session (task logs are under logs/)."""
    return _HOME


#: The sample is tiny: Delta's default of 50 partitions for reading a table's log only costs time.
SMALL_DATA_SPARK_CONF = {"spark.databricks.delta.snapshotPartitions": "2"}


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_HOME, ignore_errors=True)


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def java_env() -> dict[str, str]:
    """The environment of spark-submit: this venv's Spark, the machine's Java."""
    env = dict(os.environ)
    env["SPARK_HOME"] = str(spark_home())
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return env


@pytest.fixture(scope="session")
def dagbag():
    """Every DAG of the dags folder, parsed the way the DAG processor parses a bundle."""
    from airflow.dag_processing.dagbag import BundleDagBag

    return BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS, bundle_name="dags-folder")


@pytest.fixture(scope="session")
def jar() -> Path:
    """The application jar (LAKEHOUSE_JAR, default app/target/lakehouse.jar)."""
    path = Path(os.environ.get("LAKEHOUSE_JAR", REPOSITORY / "app" / "target" / "lakehouse.jar"))
    if not path.is_file():
        pytest.fail(f"application jar {path} not found: build it (mvn verify) or set LAKEHOUSE_JAR")
    _share_driver_classes()
    return path


# --- the start-up of the spark-submit JVMs --------------------------------------------------------
#
# The tests start some forty spark-submit JVMs (every job of three dag.test() runs, the sample,
# the killed driver, the parallel jobs) plus the pyspark session, each over a few hundred rows:
# most of their CPU goes into loading and verifying Spark's classes and into JIT-compiling code
# that runs a handful of times. So the client JVM of every spark-submit (the driver in client
# mode; the submitter in cluster mode) starts with SPARK_SUBMIT_OPTS that
#   * compile with C1 only (the C2 compiler's work never pays back in a job this short), and
#   * map an application class-data sharing archive of the classes a driver loads: dumped by the
#     first spark-submit of a session that finds none (the sample's generation) and kept next to
#     the venv for later sessions, keyed by the JVM and Spark's jars. The JVM itself checks the
#     archive against the class path and every class against its bytes (an archived class of a
#     since-rebuilt jar is loaded from the jar), so it can make a JVM start faster but never
#     change what runs.
# The executors of the standalone cluster get the same options (executor_jvm_conf(); the
# cluster's master and workers keep Spark's defaults). What runs is unchanged: the same
# spark-submit, jar, classes and arguments. JVM warnings go to stderr so that nothing the JVM
# says lands in a command's stdout.

#: Where the archives are kept between sessions (deleted with the venv).
JVM_CACHE = VENV_BIN.parent / "lakehouse-jvm-cache"
DRIVER_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-Xlog:disable", "-Xlog:all=warning:stderr")


def _class_archive() -> Path | None:
    """The class-data archive for this JVM and this Spark distribution, present or not (None
    when the JVM cannot be asked)."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else (shutil.which("java") or "java")
    try:
        version = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if version.returncode != 0:
        return None
    key = hashlib.sha256()
    key.update(f"{os.path.realpath(java)}\n{version.stderr}\n{' '.join(DRIVER_JVM_OPTIONS)}\n".encode())
    for path in sorted((spark_home() / "jars").glob("*.jar")):
        stat = path.stat()
        key.update(f"{path.name} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return JVM_CACHE / f"spark-driver-{key.hexdigest()[:20]}.jsa"


#: The archive of this session: None before _share_driver_classes ran or when it is off.
_ARCHIVE: Path | None = None


def _share_driver_classes() -> None:
    """Sets SPARK_SUBMIT_OPTS for every spark-submit that follows (LAKEHOUSE_TEST_JVM_DEFAULTS=1:
    leave the JVMs as they are)."""
    global _ARCHIVE
    if os.environ.get("LAKEHOUSE_TEST_JVM_DEFAULTS") == "1" or "SPARK_SUBMIT_OPTS" in os.environ:
        return
    options = list(DRIVER_JVM_OPTIONS)
    _ARCHIVE = _class_archive()
    if _ARCHIVE is not None and _ARCHIVE.is_file():
        options.append(f"-XX:SharedArchiveFile={_ARCHIVE}")
    os.environ["SPARK_SUBMIT_OPTS"] = " ".join(options)


def executor_jvm_conf() -> dict[str, str]:
    """Spark properties that give executor JVMs the drivers' start-up options (see above)."""
    options = os.environ.get("SPARK_SUBMIT_OPTS", "") if _ARCHIVE is not None else ""
    options = " ".join(option for option in options.split() if not option.startswith("-XX:ArchiveClassesAtExit"))
    return {"spark.executor.extraJavaOptions": options} if options else {}


@contextmanager
def _dumping_driver_classes():
    """Makes the spark-submit run inside the block dump the session's class-data archive when
    there is none yet; every later spark-submit maps it."""
    archive = _ARCHIVE
    if archive is None or archive.is_file() or "SharedArchiveFile" in os.environ.get("SPARK_SUBMIT_OPTS", ""):
        yield
        return
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        yield
        return
    partial = archive.with_name(f"{archive.name}.{os.getpid()}.partial")
    saved = os.environ["SPARK_SUBMIT_OPTS"]
    os.environ["SPARK_SUBMIT_OPTS"] = f"{saved} -XX:ArchiveClassesAtExit={partial}"
    try:
        yield
    finally:
        os.environ["SPARK_SUBMIT_OPTS"] = saved
    if partial.is_file():
        # Archives of another JVM or Spark version are of no further use.
        for stale in archive.parent.glob("spark-driver-*.jsa"):
            if stale != archive:
                stale.unlink(missing_ok=True)
        try:
            os.replace(partial, archive)
        except OSError:
            partial.unlink(missing_ok=True)
    if archive.is_file():
        os.environ["SPARK_SUBMIT_OPTS"] = f"{saved} -XX:SharedArchiveFile={archive}"


def spark_submit(jar: Path, *args: str, master: str = "local[2]", timeout: int = 600) -> subprocess.CompletedProcess:
    """Runs one lakehouse command through spark-submit and returns the finished process."""
    command = [
        str(VENV_BIN / "spark-submit"), "--master", master, "--class", "lakehouse.app.LakehouseCli",
        "--conf", f"spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:{REPOSITORY_CONF / 'log4j2.properties'}",
        str(jar), *args,
    ]
    return subprocess.run(command, env=java_env(), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def airflow_db():
    """A migrated metadata database and the single-writer pools, as a deployment has them."""
    airflow = str(VENV_BIN / "airflow")
    migrate = subprocess.run([airflow, "db", "migrate"], capture_output=True, text=True, timeout=600)
    assert migrate.returncode == 0, f"airflow db migrate failed:\n{migrate.stdout}\n{migrate.stderr}"
    pools_json = _HOME / "pools.json"
    pools = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "lakehouse_dags.pools", "--conf-dir", str(REPOSITORY_CONF)],
        capture_output=True, text=True, cwd=DAGS, timeout=120,
    )
    assert pools.returncode == 0, pools.stderr
    pools_json.write_text(pools.stdout)
    imported = subprocess.run([airflow, "pools", "import", str(pools_json)], capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, f"airflow pools import failed:\n{imported.stdout}\n{imported.stderr}"
    return json.loads(pools.stdout)


@pytest.fixture(scope="session")
def sample(jar, tmp_path_factory) -> Path:
    """The CLI's sample data: SAMPLE_DAYS landing days of SAMPLE_CUSTOMERS customers."""
    landing = tmp_path_factory.mktemp("landing")
    with _dumping_driver_classes():
        result = spark_submit(
            jar, "generate-sample", "--out", str(landing), "--days", str(SAMPLE_DAYS),
            "--customers", str(SAMPLE_CUSTOMERS), "--start-date", SAMPLE_START,
            "--conf-dir", str(REPOSITORY_CONF),
        )
    assert result.returncode == 0, f"generate-sample failed:\n{result.stdout}\n{result.stderr}"
    assert (landing / "_manifest.json").is_file(), f"no manifest in {landing}:\n{result.stdout}"
    return landing


class DailyRun:
    """One dag.test() of lakehouse_daily into its own lake, its report under ``reports``."""

    def __init__(self, lake: Path, landing: Path, reports: Path, dag_run):
        self.lake = lake
        self.landing = landing
        self.reports = reports
        self.dag_run = dag_run

    def task_states(self) -> dict[str, str]:
        return {ti.task_id: str(ti.state) for ti in self.dag_run.get_task_instances()}

    def report_page(self) -> Path:
        """Where the run's report task writes the page: <report root>/<run date>/index.html."""
        return self.reports / RUN_DATE / "index.html"


def run_daily(dagbag, jar: Path, landing: Path, lake: Path, connection: dict, spark_conf: dict | None = None) -> DailyRun:
    """Runs lakehouse_daily with dag.test() for RUN_DATE through the given Spark connection.

    The connection and Variables come from the environment (AIRFLOW_CONN_*, AIRFLOW_VAR_*), the
    way a deployment can also provide them; they are restored afterwards. The report goes to a
    folder next to the lake.
    """
    from datetime import datetime, timedelta, timezone

    reports = lake.parent / f"{lake.name}-reports"
    settings = {
        "AIRFLOW_CONN_SPARK_LAKEHOUSE": json.dumps(connection),
        "AIRFLOW_VAR_LAKEHOUSE_JAR": str(jar),
        "AIRFLOW_VAR_LAKEHOUSE_ENV": "local",
        "AIRFLOW_VAR_LAKEHOUSE_CONF": json.dumps(
            {"lakehouse.lake-root": str(lake), "lakehouse.landing-root": str(landing)}
        ),
        "AIRFLOW_VAR_LAKEHOUSE_SPARK_CONF": json.dumps({**SMALL_DATA_SPARK_CONF, **(spark_conf or {})}),
        "AIRFLOW_VAR_LAKEHOUSE_REPORT_ROOT": str(reports),
        "AIRFLOW_VAR_LAKEHOUSE_RESULT_ROOT": str(lake.parent / f"{lake.name}-results"),
    }
    os.environ["SPARK_HOME"] = str(spark_home())
    with environment(settings):
        dag = dagbag.dags["lakehouse_daily"]
        # A data-interval timetable: the run after midnight of RUN_DATE + 1 processes RUN_DATE.
        day = datetime.fromisoformat(RUN_DATE).replace(tzinfo=timezone.utc)
        dag_run = dag.test(logical_date=day + timedelta(days=1), run_after=day + timedelta(days=1))
    return DailyRun(lake, landing, reports, dag_run)


@contextmanager
def environment(values: dict[str, str]):
    """Sets environment variables (a deployment's AIRFLOW_CONN_*, AIRFLOW_VAR_*) for the block
    and restores them after."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


#: A silver check no sample day passes: its gate fails with exit code 3.
IMPOSSIBLE_CHECK = "impossible_volume"


def gated_orders_conf(folder: Path) -> Path:
    """The repository's conf/ with the orders pipeline only and an impossible silver check."""
    conf = folder / "conf"
    shutil.copytree(REPOSITORY_CONF, conf)
    for sub, keep in (("sources", "orders"), ("tables", "orders"), ("training", None)):
        for path in (conf / sub).glob("*.conf"):
            if path.stem != keep:
                path.unlink()
    with (conf / "tables" / "orders.conf").open("a") as contract:
        contract.write(
            "\n# Added by the test: no sample day has this many orders.\n"
            f"checks += {{ name = {IMPOSSIBLE_CHECK}, type = row-count, min = 1000000, severity = error }}\n"
        )
    return conf


@pytest.fixture(scope="session")
def local_run(dagbag, airflow_db, jar, sample, tmp_path_factory) -> DailyRun:
    """lakehouse_daily for RUN_DATE, every job through spark-submit in Spark local mode."""
    lake = tmp_path_factory.mktemp("lake-local")
    return run_daily(dagbag, jar, sample, lake, {"conn_type": "spark", "host": "local[2]"})


@pytest.fixture(scope="session")
def spark(jar):
    """A pyspark session that reads Delta tables with the jar's Delta Lake classes."""
    from pyspark.sql import SparkSession

    os.environ["SPARK_HOME"] = str(spark_home())
    session = (
        SparkSession.builder.master("local[1]")
        .appName("lakehouse-airflow-tests")
        .config("spark.jars", str(jar))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()
