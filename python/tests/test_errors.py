"""Every failure is a Python exception with the CLI's one-line message and exit code, never a py4j
stack trace: real failures of the API for usage (2), data (4) and a failed job (1), and every
exit code through the JVM's own mapping (Cli.exitCode / Cli.message) of a LakehouseException,
wrapped the way Spark wraps it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import sample_tables

import lakehouse
from lakehouse import errors


@pytest.fixture(scope="module")
def sample(lake):
    sample_tables(lake, labels="silver.labels_errors", features="gold.features_errors")
    return lake


SPEC = {
    "name": "errors",
    "spine": {"table": "silver.labels_errors", "keys": ["customer_id"], "event_time": "label_ts"},
    "features": [{"table": "gold.features_errors", "features": "all"}],
    "output": "gold.training_errors",
}


def assert_plain(error: lakehouse.LakehouseError) -> None:
    """One line, no py4j traceback chained to it."""
    assert "\n" not in error.message
    assert "Py4J" not in error.message and "py4j" not in error.message
    assert error.__cause__ is None and error.__suppress_context__


def test_usage_errors_are_usage_errors_with_the_cli_message(sample):
    lake = sample
    with pytest.raises(lakehouse.UsageError) as unknown:
        lake.build_training_set({**SPEC, "features": [{"table": "gold.nope", "features": "all"}]},
                                spine=lake.read("silver.labels_errors"))
    assert unknown.value.exit_code == 2
    assert unknown.value.message.startswith("unknown table 'gold.nope' (no Delta table at ")
    assert_plain(unknown.value)
    assert "gold._spine_errors" not in lake.table_names(), "nothing persisted for a bad spec"

    with pytest.raises(lakehouse.UsageError, match=r"^--serving-delay only applies with --known-at$"):
        lake.build_training_set(SPEC, serving_delay="15m")
    with pytest.raises(lakehouse.UsageError, match=r"^--as-of must be a timestamp such as"):
        lake.build_training_set(SPEC, as_of="yesterday")
    with pytest.raises(lakehouse.UsageError, match=r"name.*is required but missing"):
        lake.build_training_set({k: v for k, v in SPEC.items() if k != "name"})
    with pytest.raises(lakehouse.UsageError, match=r"^training-set spec no_such_spec does not exist$"):
        lake.build_training_set("no_such_spec")
    with pytest.raises(lakehouse.UsageError, match="must be a Spark DataFrame"):
        lake.build_training_set(SPEC, spine=[("c1", "2024-03-01")])
    with pytest.raises(lakehouse.UsageError, match=r"^table silver.labels_errors has no version 99 "):
        lake.read("silver.labels_errors", version=99)
    with pytest.raises(lakehouse.UsageError, match=r"^unknown training set 'nothing-like-this'"):
        lake.manifest("nothing-like-this")


def test_a_spine_table_that_is_no_spine_is_never_overwritten(sample):
    lake = sample
    version = lake.history("silver.labels_errors", 1).first()["version"]
    with pytest.raises(lakehouse.UsageError, match="was not written as a training-set spine"):
        lake.build_training_set(SPEC, spine=lake.read("silver.labels_errors"),
                                spine_table="silver.labels_errors")
    assert lake.history("silver.labels_errors", 1).first()["version"] == version


def test_a_rebuild_with_other_rows_is_a_data_error(sample):
    lake = sample
    built = lake.build_training_set(SPEC, spine=lake.read("silver.labels_errors"))
    document = json.loads(built.manifest.to_json())
    document["content_hash"] = "0" * 64
    tampered = lakehouse.Manifest.from_json(document)
    assert dataclasses.replace(built.manifest, content_hash="0" * 64) == tampered
    with pytest.raises(lakehouse.DataError) as different:
        lake.rebuild_training_set(tampered)
    assert different.value.exit_code == 4
    assert different.value.message == (
        f"rebuild of training set {built.manifest.training_set_id} produced different rows: "
        f"content hash {built.manifest.content_hash} instead of {'0' * 64} (the spine file "
        "changed, or the data behind a pinned version was rewritten)")
    assert_plain(different.value)


def test_a_spine_that_fails_to_compute_is_a_failed_job_with_the_java_trace_kept(sample):
    lake = sample
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    @F.udf(StringType())
    def broken(value):
        raise ValueError("the spine's source is broken")

    spine = lake.read("silver.labels_errors").withColumn("customer_id", broken("customer_id"))
    with pytest.raises(lakehouse.JobFailedError) as failed:
        lake.build_training_set(SPEC, spine=spine)
    assert failed.value.exit_code == 1
    assert failed.value.message.startswith("job failed: ")
    assert_plain(failed.value)
    # pyspark hands a Python worker's failure over as its own PythonException or as the raw JVM
    # error, depending on which task failed first: either way the trace keeps the cause.
    assert "the spine's source is broken" in failed.value.java_stack_trace


@pytest.mark.parametrize("code, cls", [
    ("JOB_FAILED", lakehouse.JobFailedError), ("USAGE", lakehouse.UsageError),
    ("QUALITY_GATE", lakehouse.QualityGateError), ("DATA_ERROR", lakehouse.DataError),
    ("CONCURRENT_WRITER", lakehouse.ConcurrentWriterError)])
def test_every_exit_code_maps_to_its_exception_through_the_jvm_mapping(lake, code, cls):
    """A LakehouseException of each exit code, wrapped in a SparkException as a failed Spark job
    wraps it, thrown in the JVM and caught in Python."""
    jvm = lake.spark.sparkContext._jvm
    exit_code = getattr(jvm.lakehouse.common.ExitCode, code)
    known = jvm.lakehouse.common.LakehouseException(exit_code, f"one line for {code}")
    wrapped = jvm.org.apache.spark.SparkException("Job aborted due to stage failure", known)
    # A real throw through py4j: the future rethrows the exception it completed with.
    thrower = jvm.java.util.concurrent.CompletableFuture()
    thrower.completeExceptionally(wrapped)
    from py4j.protocol import Py4JJavaError

    with pytest.raises(Py4JJavaError) as raw:
        thrower.get()  # ExecutionException(SparkException(LakehouseException))
    mapped = errors.from_java(raw.value, jvm)
    assert type(mapped) is cls
    assert mapped.exit_code == exit_code.code() == cls.exit_code
    if cls is lakehouse.JobFailedError:
        assert mapped.message.startswith("job failed: ")
    else:
        assert mapped.message == f"one line for {code}"
    assert isinstance(mapped, lakehouse.LakehouseError)


def test_a_python_worker_failure_that_pyspark_captured_is_a_failed_job(lake):
    """pyspark makes its own PythonException of a failed UDF (convert_exception), without the JVM
    object: the failure is still a failed job, named by the Python exception's line."""
    from pyspark.errors.exceptions.captured import PythonException

    captured = PythonException(
        "\n  An exception was thrown from the Python worker. Please see the stack trace below.\n"
        "Traceback (most recent call last):\n  File \"<udf>\", line 3, in broken\n"
        "ValueError: the spine's source is broken\n",
        "org.apache.spark.SparkException: Job aborted due to stage failure\n\tat org.apache.spark.Some")
    mapped = errors.from_java(captured, lake.spark.sparkContext._jvm)
    assert type(mapped) is lakehouse.JobFailedError
    assert mapped.message == "job failed: ValueError: the spine's source is broken"
    assert "Job aborted due to stage failure" in mapped.java_stack_trace
