"""The lakehouse_training_set DAG: a point-in-time training set, triggered by hand with params.

Its tasks are generated from the declarations under the lakehouse configuration directory
(Airflow config [lakehouse] conf_dir); see lakehouse_dags.factory.build_training_set.
"""

from lakehouse_dags.declarations import load
from lakehouse_dags.factory import build_training_set
from lakehouse_dags.settings import parse_time_conf_dir

dag = build_training_set(load(parse_time_conf_dir()))
