"""Settings every neurolake DAG shares: the application jar, the Spark connection, Spark settings,
retries, timeouts and SLAs, in one place.

Nothing here reads a file, the network or Airflow's metadata database when the module is imported
(the scheduler imports DAG files every few seconds): every value that depends on the deployment is
a Jinja template that Airflow renders when a task runs, from these Airflow Variables:

    neurolake_app_jar   the application jar (spark-jobs/target/neurolake-app.jar, or the -Pcluster build)
    neurolake_home      a checkout of the project: its conf/ holds the trainer configs and log4j settings
    neurolake_lake      the lake root (hdfs://nn/lake, s3a://bucket/lake, /data/lake)

and from the Spark connection SPARK_CONN_ID (master, deploy mode, queue, spark-home).
"""
from datetime import datetime, timedelta, timezone

from airflow.exceptions import AirflowSkipException

# Admin > Connections, type "Spark": host = the master (yarn, spark://host:7077, k8s://https://host,
# local[*]); extra {"deploy-mode": "client", "queue": "...", "spark-home": "/opt/spark"}.
SPARK_CONN_ID = "neurolake_spark"

APP_JAR = "{{ var.value.neurolake_app_jar }}"
NEUROLAKE_HOME = "{{ var.value.neurolake_home }}"
LAKE = "{{ var.value.neurolake_lake }}"

# Every job takes the lake root; the catalog (metastore) comes from the Spark settings of the
# connection or spark-defaults.conf (spark.hadoop.hive.metastore.uris), see airflow-dags/README.md.
LAKE_ARGS = ["--lake", LAKE]

# Spark settings of every task. The driver logs with the project's quiet console settings.
SPARK_CONF = {
    "spark.driver.extraJavaOptions": "-Dlog4j2.configurationFile=file:" + NEUROLAKE_HOME + "/conf/log4j2.properties",
    "spark.ui.showConsoleProgress": "false",
}

# Fixed, in the past, timezone-aware: a moving start_date (datetime.now()) breaks scheduling.
START_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)

TAGS = ["neurolake"]

DEFAULT_ARGS = {
    "owner": "neurolake",
    "depends_on_past": False,
    # Operator arguments every task shares: default_args fill any operator parameter of that name.
    "application": APP_JAR,
    "conn_id": SPARK_CONN_ID,
    "conf": SPARK_CONF,
    "name": "neurolake {{ dag.dag_id }}.{{ task.task_id }} {{ ds }}",
    # Retries cover transient failures: a lost executor or node, a busy cluster queue, an HDFS or
    # metastore hiccup. They are safe because every job is idempotent: partitions are replaced by
    # rename, training resumes from its newest checkpoint (and appends nothing twice once a run is
    # complete), reports are rewritten whole. Two retries with growing pauses ride out a short
    # outage without hammering a cluster that is down. A bad input (exit code 2) fails again the
    # same way; the retries only delay that failure by the pauses.
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
    # A hung job (e.g. waiting forever for executors) must fail and retry, not block the next run.
    "execution_timeout": timedelta(hours=2),
}

# Training tasks: long, but bounded; a timed-out attempt resumes from its last checkpoint.
TRAIN_TIMEOUT = timedelta(hours=12)

# SLAs (measured by Airflow from the end of the run's data interval) sit on each DAG's last task,
# the report people read: a miss means the day's (week's) results are late, whichever task
# caused it. Set to the expected duration plus room for the retries above.
CLASSIFIER_REPORT_SLA = timedelta(hours=6)
LFADS_REPORT_SLA = timedelta(hours=36)
SENTIMENT_REPORT_SLA = timedelta(hours=36)
LM_REPORT_SLA = timedelta(hours=36)

# A DAG run that outlives this is failed, so that the next scheduled run can start
# (max_active_runs=1 keeps runs of one DAG from sharing a cluster and an embedded metastore).
CLASSIFIER_RUN_TIMEOUT = timedelta(hours=20)
LFADS_RUN_TIMEOUT = timedelta(days=6)
SENTIMENT_RUN_TIMEOUT = timedelta(days=6)
LM_RUN_TIMEOUT = timedelta(days=6)


def run_only_if_param(name, value):
    """A pre_execute hook that skips its task unless the DAG run's param `name` equals `value`:
    one of two alternative first steps runs, the other is skipped (and its downstream task runs
    with trigger_rule none_failed_min_one_success)."""

    def check(context):
        chosen = context["params"][name]
        if chosen != value:
            raise AirflowSkipException(f"param {name} is {chosen!r}, this task runs for {value!r}")

    return check
