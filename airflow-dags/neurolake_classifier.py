"""neurolake_classifier: the training engine's pipeline, daily.

    make_examples >> train_classifier >> plot_rounds >> report

Each DAG run works on its own date: the examples partition blobs-<ds_nodash> (generated with the
date as its seed) and the run mlp-blobs-<ds_nodash> (its checkpoints, train_rounds partition and
report). Rerunning a date replaces exactly that date's partitions; train_classifier resumes from
the run's newest checkpoint, and does nothing when the run is complete.
"""
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

import neurolake_common as common

DATASET = "blobs-{{ ds_nodash }}"
RUN_ID = "mlp-blobs-{{ ds_nodash }}"

with DAG(
    dag_id="neurolake_classifier",
    description="make-examples -> train-classifier (backup workers) -> plot-rounds -> report",
    schedule="@daily",
    start_date=common.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=common.CLASSIFIER_RUN_TIMEOUT,
    default_args=common.DEFAULT_ARGS,
    tags=common.TAGS,
) as dag:
    make_examples = SparkSubmitOperator(
        task_id="make_examples",
        java_class="org.neurolake.jobs.MakeExamplesJob",
        application_args=[*common.LAKE_ARGS, "--dataset", DATASET, "--examples", "50000", "--seed", "{{ ds_nodash }}"],
    )
    train_classifier = SparkSubmitOperator(
        task_id="train_classifier",
        java_class="org.neurolake.jobs.TrainClassifierJob",
        application_args=[
            *common.LAKE_ARGS,
            "--dataset", DATASET,
            "--config", common.NEUROLAKE_HOME + "/conf/train/mlp-blobs.properties",
            "--set", "run-id=" + RUN_ID,
            "--resume",
        ],
        execution_timeout=common.TRAIN_TIMEOUT,
    )
    plot_rounds = SparkSubmitOperator(
        task_id="plot_rounds",
        java_class="org.neurolake.jobs.PlotRoundsJob",
        application_args=[*common.LAKE_ARGS, "--run-id", RUN_ID],
    )
    report = SparkSubmitOperator(
        task_id="report",
        java_class="org.neurolake.jobs.ReportJob",
        application_args=[*common.LAKE_ARGS, "--run-id", RUN_ID],
        sla=common.CLASSIFIER_REPORT_SLA,
    )

    make_examples >> train_classifier >> plot_rounds >> report
