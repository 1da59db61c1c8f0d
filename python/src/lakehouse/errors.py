"""The exceptions of the lakehouse package: one class per exit code of the CLI.

Every failure of the JVM side arrives as one of these, with the CLI's one-line message (what
``bin/lakehouse`` prints after ``error:``) and its exit code, never as a py4j stack trace:

==================================  ====  ===================================================
exception                           code  meaning
==================================  ====  ===================================================
:class:`JobFailedError`             1     an unexpected failure (a bug, a lost executor, I/O)
:class:`UsageError`                 2     bad argument, setting or spec; unknown table or id
:class:`QualityGateError`           3     a quality check of severity ``error`` failed
:class:`DataError`                  4     data that cannot be carried or reproduced (a vacuumed
                                          version, a rebuild whose rows differ)
:class:`ConcurrentWriterError`      5     another process was committing to a table written
==================================  ====  ===================================================

All derive from :class:`LakehouseError`, so ``except LakehouseError`` catches every one.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type


class LakehouseError(Exception):
    """A failure with the CLI's one-line message and exit code.

    Attributes:
        message: the one-line message (what the CLI prints after ``error:``).
        exit_code: the CLI's exit code for this kind of failure.
        java_stack_trace: for a :class:`JobFailedError`, the JVM's stack trace (else None).
    """

    exit_code: int = 1

    def __init__(self, message: str, java_stack_trace: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.java_stack_trace = java_stack_trace

    def __str__(self) -> str:
        return self.message


class JobFailedError(LakehouseError):
    """Exit code 1: an unexpected failure; ``java_stack_trace`` holds the JVM's detail."""

    exit_code = 1


class UsageError(LakehouseError):
    """Exit code 2: a bad argument, setting or spec, an unknown table, column or id."""

    exit_code = 2


class QualityGateError(LakehouseError):
    """Exit code 3: a quality check of severity ``error`` failed; the table was not changed."""

    exit_code = 3


class DataError(LakehouseError):
    """Exit code 4: data that cannot be carried or reproduced without loss (a vacuumed version,
    a log cleaned up, a rebuild whose rows differ)."""

    exit_code = 4


class ConcurrentWriterError(LakehouseError):
    """Exit code 5: another process was committing to a table this call writes; retry."""

    exit_code = 5


#: Exit code → exception class.
BY_EXIT_CODE: Dict[int, Type[LakehouseError]] = {
    cls.exit_code: cls
    for cls in (JobFailedError, UsageError, QualityGateError, DataError, ConcurrentWriterError)
}


def for_exit_code(code: int, message: str, java_stack_trace: Optional[str] = None) -> LakehouseError:
    """The exception for an exit code (an unknown code counts as a failed job)."""
    return BY_EXIT_CODE.get(code, JobFailedError)(message, java_stack_trace)


def from_java(error: BaseException, jvm: Any) -> LakehouseError:
    """Maps a failure that came through py4j to its exception.

    ``error`` is a ``py4j.protocol.Py4JJavaError`` or one of pyspark's captured exceptions (which
    pyspark makes of some JVM errors before they reach us). The JVM decides, with the CLI's own
    mapping (``lakehouse.common.cli.Cli.exitCode`` and ``Cli.message``): a ``LakehouseException``
    anywhere in the cause chain gives its exit code and message; anything else is a failed job
    whose message is the exception's first line (for a failed Python UDF, its exception's line).
    """
    java = getattr(error, "java_exception", None)
    if java is None:
        java = getattr(error, "_origin", None)
    if java is None:
        # pyspark turned it into one of its own exceptions without the JVM object: a Python
        # function (UDF) that failed in a task. Its exception is the traceback's last line.
        desc = str(getattr(error, "desc", None) or error)
        lines = [line.strip() for line in desc.strip().splitlines() if line.strip()]
        summary = (lines[-1] if "Traceback" in desc else lines[0]) if lines else type(error).__name__
        trace = getattr(error, "stackTrace", None)
        return JobFailedError("job failed: " + summary,
                              "\n".join(part for part in (desc, trace) if part))
    cli = jvm.lakehouse.common.cli.Cli
    code = int(cli.exitCode(java).code())
    message = str(cli.message(java))
    if code == JobFailedError.exit_code:
        trace = str(jvm.org.apache.spark.util.Utils.exceptionString(java))
        return JobFailedError("job failed: " + _first_line(message), trace)
    return for_exit_code(code, message)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0]
