"""Helpers that generate the lakehouse DAGs from the conf/ declarations (not DAG files)."""
