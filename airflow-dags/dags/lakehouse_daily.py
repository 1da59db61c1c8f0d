"""The lakehouse_daily DAG: bronze -> silver -> gold for the day that just ended.

Its tasks are generated from the declarations under the lakehouse configuration directory
(Airflow config [lakehouse] conf_dir); see lakehouse_dags.factory.build_daily.
"""

from lakehouse_dags.declarations import load
from lakehouse_dags.factory import build_daily
from lakehouse_dags.settings import parse_time_conf_dir

dag = build_daily(load(parse_time_conf_dir()))
