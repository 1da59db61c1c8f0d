"""The example notebook runs headless from top to bottom (nbclient, a real kernel and its own
Spark session), so it cannot rot: it builds a training set from a DataFrame spine, shows label
balance and null rates, plots a feature and rebuilds the set with the same hash."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import CONF, PYTHON

NOTEBOOK = PYTHON / "examples" / "training_from_dataframe.ipynb"


def test_the_example_notebook_runs_on_a_lake(sample, jar, tmp_path, monkeypatch):
    import nbclient
    import nbformat

    lake = sample
    # The kernel and its JVM inherit these: the test's lake, the repository's settings, the jar.
    monkeypatch.setenv("LAKEHOUSE_LAKE_ROOT", lake.lake_root)
    monkeypatch.setenv("LAKEHOUSE_CONF_DIR", str(CONF))
    monkeypatch.setenv("LAKEHOUSE_JAR", str(jar))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    try:
        client.execute()
    finally:
        nbformat.write(notebook, tmp_path / NOTEBOOK.name)  # kept for a look when it fails

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "spine:        gold._spine_churn @ version" in text
    assert "share" in text and "null rate" in text
    assert "with the same hash: True" in text
    assert any("image/png" in o.get("data", {}) for o in outputs), "the feature's histogram"
    assert Path(NOTEBOOK).is_file() and os.environ["LAKEHOUSE_LAKE_ROOT"] == lake.lake_root
