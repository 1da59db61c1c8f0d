"""The lakehouse_maintenance DAG: weekly optimize and guarded vacuum of every table.

Its tasks are generated from the declarations under the lakehouse configuration directory
(Airflow config [lakehouse] conf_dir); see lakehouse_dags.factory.build_maintenance.
"""

from lakehouse_dags.declarations import load
from lakehouse_dags.factory import build_maintenance
from lakehouse_dags.settings import parse_time_conf_dir

dag = build_maintenance(load(parse_time_conf_dir()))
