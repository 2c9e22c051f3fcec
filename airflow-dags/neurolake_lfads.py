"""neurolake_lfads: LFADS on a spiking session, weekly.

    [synth_spikes | ingest_spikes] >> train_lfads >> infer_lfads >> evaluate_lfads >> report

The param spikes_source chooses the session's source: "synthetic" generates the paper's chaotic-RNN
benchmark (seeded by the date), "recording" ingests a recording in the sparse events CSV format
(recording_input, recording_trials). The other first task is skipped. Each DAG run works on its own
date: session lfads-<ds_nodash>, run lfads-<ds_nodash>; a rerun replaces that date's partitions
and training resumes from the run's newest checkpoint.
"""
from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

import neurolake_common as common

SESSION = "lfads-{{ ds_nodash }}"
RUN_ID = "lfads-{{ ds_nodash }}"
RUN_ARGS = [*common.LAKE_ARGS, "--session", SESSION, "--run-id", RUN_ID]

with DAG(
    dag_id="neurolake_lfads",
    description="synthetic or recorded spikes -> train-lfads -> infer-lfads -> evaluate-lfads -> report",
    schedule="@weekly",
    start_date=common.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=common.LFADS_RUN_TIMEOUT,
    default_args=common.DEFAULT_ARGS,
    tags=common.TAGS,
    params={
        "spikes_source": Param("synthetic", enum=["synthetic", "recording"],
                               description="synthetic: the chaotic-RNN benchmark; recording: ingest recording_input"),
        "recording_input": Param("", type="string",
                                 description="events CSV (trial,neuron,t_ms,count), gzip or not; any Hadoop URI"),
        "recording_trials": Param("", type="string", description="the recording's trial table (CSV)"),
        "bin_ms": Param(10, type="number", description="bin width of the ingested recording, ms"),
        "conditions": Param(100, type="integer", description="synthetic: initial conditions"),
        "replications": Param(10, type="integer", description="synthetic: trials per condition"),
        "lfads_config": Param("conf/train/lfads-synthetic.properties", type="string",
                              description="trainer options file, relative to neurolake_home"),
    },
) as dag:
    synth_spikes = SparkSubmitOperator(
        task_id="synth_spikes",
        java_class="org.neurolake.jobs.SynthSpikesJob",
        application_args=[
            *common.LAKE_ARGS,
            "--session", SESSION,
            "--conditions", "{{ params.conditions }}",
            "--replications", "{{ params.replications }}",
            "--seed", "{{ ds_nodash }}",
        ],
        pre_execute=common.run_only_if_param("spikes_source", "synthetic"),
    )
    ingest_spikes = SparkSubmitOperator(
        task_id="ingest_spikes",
        java_class="org.neurolake.jobs.IngestSpikesJob",
        application_args=[
            *common.LAKE_ARGS,
            "--format", "events_csv",
            "--session", SESSION,
            "--input", "{{ params.recording_input }}",
            "--trials", "{{ params.recording_trials }}",
            "--bin-ms", "{{ params.bin_ms }}",
        ],
        pre_execute=common.run_only_if_param("spikes_source", "recording"),
    )
    train_lfads = SparkSubmitOperator(
        task_id="train_lfads",
        java_class="org.neurolake.jobs.TrainLfadsJob",
        application_args=[
            *common.LAKE_ARGS,
            "--session", SESSION,
            "--config", common.NEUROLAKE_HOME + "/{{ params.lfads_config }}",
            "--set", "run-id=" + RUN_ID,
            "--resume",
        ],
        # One of the two spike tasks is always skipped.
        trigger_rule="none_failed_min_one_success",
        execution_timeout=common.TRAIN_TIMEOUT,
    )
    infer_lfads = SparkSubmitOperator(
        task_id="infer_lfads",
        java_class="org.neurolake.jobs.InferLfadsJob",
        application_args=RUN_ARGS,
    )
    evaluate_lfads = SparkSubmitOperator(
        task_id="evaluate_lfads",
        java_class="org.neurolake.jobs.EvaluateLfadsJob",
        application_args=RUN_ARGS,
    )
    report = SparkSubmitOperator(
        task_id="report",
        java_class="org.neurolake.jobs.ReportJob",
        application_args=[*common.LAKE_ARGS, "--run-id", RUN_ID],
        sla=common.LFADS_REPORT_SLA,
    )

    [synth_spikes, ingest_spikes] >> train_lfads >> infer_lfads >> evaluate_lfads >> report
