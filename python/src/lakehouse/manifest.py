"""A training-set build's manifest as a Python object."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Union


@dataclass(frozen=True)
class Manifest:
    """What one training-set build read and wrote: one row of ``gold._training_sets``.

    The same document as ``bin/lakehouse training-set show ID --format json``: save it next to a
    model (:meth:`save`) and rebuild the exact rows from it later
    (``Lake.rebuild_training_set(manifest)`` or ``bin/lakehouse training-set rebuild FILE``).

    Attributes:
        training_set_id: the build's id, e.g. ``churn-20261121T060000Z-3fa9c1``.
        name: the spec's name.
        built_at: when the build started (UTC).
        knowledge_mode: ``latest``, ``as_of`` or ``known_at``.
        as_of: the ``as_of`` instant and version pins as given, else None.
        serving_delay: the known-at serving delay (ISO-8601 duration), else None.
        spine_source: the spine table (a DataFrame spine: the table it was persisted to) or file.
        spine_version: the spine table's Delta version read (None for a file spine).
        feature_versions: feature table → Delta version read.
        output_location: where the rows were written.
        output_table: the output table's name (None for a path).
        output_version: the Delta version of the output this build wrote.
        row_count: rows written (the spine's row count).
        content_hash: order-independent hash of the rows and schema written.
        rebuilt_from: the id this build rebuilt, else None.
        feature_null_rates: output feature column → share of rows without a value.
        label_counts: label value (as text) → rows; empty without a label column.
        rules: the point-in-time rules version the build followed.
        spec: the resolved spec (what a rebuild uses).
        document: the whole JSON document, as the JVM wrote it.
    """

    training_set_id: str
    name: str
    built_at: datetime
    knowledge_mode: str
    spine_source: str
    output_location: str
    row_count: int
    content_hash: str
    spec: Dict[str, Any]
    as_of: Optional[str] = None
    serving_delay: Optional[str] = None
    spine_version: Optional[int] = None
    feature_versions: Dict[str, int] = field(default_factory=dict)
    output_table: Optional[str] = None
    output_version: Optional[int] = None
    rebuilt_from: Optional[str] = None
    feature_null_rates: Dict[str, float] = field(default_factory=dict)
    label_counts: Dict[str, int] = field(default_factory=dict)
    rules: Optional[int] = None
    document: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, text: Union[str, Mapping[str, Any]]) -> "Manifest":
        """Reads a manifest document (JSON text or an already parsed mapping)."""
        doc: Dict[str, Any] = dict(json.loads(text) if isinstance(text, str) else text)
        return cls(
            training_set_id=doc["training_set_id"],
            name=doc["name"],
            built_at=_instant(doc["built_at"]),
            knowledge_mode=doc["knowledge_mode"],
            spine_source=doc["spine_source"],
            output_location=doc["output_location"],
            row_count=int(doc["row_count"]),
            content_hash=doc["content_hash"],
            spec=dict(doc.get("spec") or {}),
            as_of=doc.get("as_of"),
            serving_delay=doc.get("serving_delay"),
            spine_version=_int(doc.get("spine_version")),
            feature_versions={k: int(v) for k, v in (doc.get("feature_versions") or {}).items()},
            output_table=doc.get("output_table"),
            output_version=_int(doc.get("output_version")),
            rebuilt_from=doc.get("rebuilt_from"),
            feature_null_rates={k: float(v) for k, v in (doc.get("feature_null_rates") or {}).items()},
            label_counts={k: int(v) for k, v in (doc.get("label_counts") or {}).items()},
            rules=_int(doc.get("rules")),
            document=doc,
        )

    @classmethod
    def load(cls, path: Union[str, Path]) -> "Manifest":
        """Reads a manifest file (``training-set show ID --format json`` or :meth:`save`)."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def to_json(self) -> str:
        """The manifest as the JSON document the CLI reads (``training-set rebuild FILE``)."""
        return json.dumps(self.document or self._document(), indent=2)

    def save(self, path: Union[str, Path]) -> Path:
        """Writes :meth:`to_json` to a file and returns its path."""
        target = Path(path)
        target.write_text(self.to_json() + "\n", encoding="utf-8")
        return target

    def _document(self) -> Dict[str, Any]:
        doc: Dict[str, Any] = {
            "training_set_id": self.training_set_id,
            "name": self.name,
            "built_at": self.built_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
            "knowledge_mode": self.knowledge_mode,
            "as_of": self.as_of,
            "serving_delay": self.serving_delay,
            "spine_source": self.spine_source,
            "spine_version": self.spine_version,
            "feature_versions": self.feature_versions,
            "output_location": self.output_location,
            "output_table": self.output_table,
            "output_version": self.output_version,
            "row_count": self.row_count,
            "content_hash": self.content_hash,
            "rebuilt_from": self.rebuilt_from,
            "feature_null_rates": self.feature_null_rates,
            "label_counts": self.label_counts,
            "rules": self.rules,
            "spec": self.spec,
        }
        return {k: v for k, v in doc.items() if v is not None}

    def label_balance(self) -> Dict[str, float]:
        """Label value → share of rows (empty without a label column)."""
        total = sum(self.label_counts.values())
        return {k: (v / total if total else 0.0) for k, v in self.label_counts.items()}


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _int(value: Any) -> Optional[int]:
    return None if value is None else int(value)
