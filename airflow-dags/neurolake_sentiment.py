"""neurolake_sentiment: the sentiment-neuron pipeline, weekly.

    train_mlstm >> extract_features >> probe_sentiment >> generate >> report

Trains (or resumes) the byte-level mLSTM on the byte_sequences of the review corpora (param sources,
never sst2), extracts the final cell states of the labeled benchmark's documents (param
probe_source), fits the L1 probe with its baselines and data-efficiency curve, and samples text with
the sentiment unit clamped. Each DAG run works on its own date: run mlstm-<ds_nodash>; a rerun
resumes that run from its newest checkpoint (a finished run trains and appends nothing) and skips
feature partitions already committed; the probe and generate append their rows again (the
data_efficiency query keeps the newest row per seed).

The corpora are fixed public data sets, ingested once (ingest-text, cut-sequences; see README.md):
an ingestion task here would copy them again every week under a dated source name.
"""
from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

import neurolake_common as common

RUN_ID = "mlstm-{{ ds_nodash }}"
RUN_ARGS = [*common.LAKE_ARGS, "--run-id", RUN_ID]

with DAG(
    dag_id="neurolake_sentiment",
    description="train-mlstm -> extract-features -> probe-sentiment -> generate -> report",
    schedule="@weekly",
    start_date=common.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=common.SENTIMENT_RUN_TIMEOUT,
    default_args=common.DEFAULT_ARGS,
    tags=common.TAGS,
    params={
        "sources": Param("imdb,amazon", type="string",
                         description="byte_sequences sources the mLSTM trains on, comma-separated (never sst2)"),
        "probe_source": Param("sst2", type="string", description="labeled documents source the probe is fit on"),
        "mlstm_config": Param("conf/train/mlstm-reviews.properties", type="string",
                              description="trainer options file, relative to neurolake_home"),
        "probe_seeds": Param(5, type="integer", description="seeds per data-efficiency size"),
        "primer": Param("This movie was", type="string", description="text the generated samples continue"),
        "clamp_value": Param(1.0, type="number", description="value the sentiment unit is clamped at"),
        "samples": Param(4, type="integer", description="samples to generate"),
    },
) as dag:
    train_mlstm = SparkSubmitOperator(
        task_id="train_mlstm",
        java_class="org.neurolake.jobs.TrainMlstmJob",
        application_args=[
            *common.LAKE_ARGS,
            "--sources", "{{ params.sources }}",
            "--config", common.NEUROLAKE_HOME + "/{{ params.mlstm_config }}",
            "--set", "run-id=" + RUN_ID,
            "--resume",
        ],
        execution_timeout=common.TRAIN_TIMEOUT,
    )
    extract_features = SparkSubmitOperator(
        task_id="extract_features",
        java_class="org.neurolake.jobs.ExtractFeaturesJob",
        application_args=[*RUN_ARGS, "--source", "{{ params.probe_source }}"],
    )
    probe_sentiment = SparkSubmitOperator(
        task_id="probe_sentiment",
        java_class="org.neurolake.jobs.ProbeSentimentJob",
        application_args=[*RUN_ARGS, "--source", "{{ params.probe_source }}", "--seeds", "{{ params.probe_seeds }}"],
    )
    generate = SparkSubmitOperator(
        task_id="generate",
        java_class="org.neurolake.jobs.GenerateJob",
        application_args=[
            *RUN_ARGS,
            "--primer", "{{ params.primer }}",
            "--samples", "{{ params.samples }}",
            "--clamp-unit", "sentiment",
            "--clamp-value", "{{ params.clamp_value }}",
            "--seed", "{{ ds_nodash }}",
        ],
    )
    report = SparkSubmitOperator(
        task_id="report",
        java_class="org.neurolake.jobs.ReportJob",
        application_args=[*common.LAKE_ARGS, "--run-id", RUN_ID],
        sla=common.SENTIMENT_REPORT_SLA,
    )

    train_mlstm >> extract_features >> probe_sentiment >> generate >> report
