"""neurolake_lm: word-level language models on Penn Treebank, weekly.

    tokenize >> build_vocab >> token_streams >> kn5 >> evaluate_kn5 ─────────────────┐
                                             >> train_lm >> evaluate_lm >> sample_lm ┴> query >> report

Tokenizes the corpus files (params train_file, valid_file, test_file) as corpus ptb-<ds_nodash>,
builds its vocabulary and token streams, then, side by side, counts and scores the Kneser-Ney
5-gram baseline and trains (or resumes) the LSTM language model (run lstm-lm-<ds_nodash>), scores
the run's newest checkpoint on valid and test in order with the state carried (evaluate-lm, rows
next to KN5's in evaluations), samples sentences, prints the shipped lm_vs_kn5 query and writes the
run's report. Each DAG run works on its own date; a rerun replaces that date's table partitions,
resumes the run from its newest checkpoint, and appends the evaluations and samples again (the
query keeps the newest figure per run).
"""
from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

import neurolake_common as common

CORPUS = "ptb-{{ ds_nodash }}"
VOCAB_ID = "{{ params.vocab_id }}"
VOCAB_ARGS = [*common.LAKE_ARGS, "--corpus", CORPUS, "--vocab-id", VOCAB_ID]
KN5_MODEL = "ptb-{{ ds_nodash }}-kn5"
RUN_ID = "lstm-lm-{{ ds_nodash }}"
RUN_ARGS = [*common.LAKE_ARGS, "--run-id", RUN_ID]

with DAG(
    dag_id="neurolake_lm",
    description="tokenize -> build-vocab -> token-streams -> kn5 || train lstm-lm -> evaluate-lm -> sample-lm"
                " -> query",
    schedule="@weekly",
    start_date=common.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=common.LM_RUN_TIMEOUT,
    default_args=common.DEFAULT_ARGS,
    tags=common.TAGS,
    params={
        "train_file": Param("/data/ptb/ptb.train.txt.gz", type="string",
                            description="tokenized training text, a sentence per line (gzip or plain)"),
        "valid_file": Param("/data/ptb/ptb.valid.txt.gz", type="string", description="validation text"),
        "test_file": Param("/data/ptb/ptb.test.txt.gz", type="string", description="test text"),
        "vocab_id": Param("ptb-10k", type="string", description="name of the vocabulary partition"),
        "max_words": Param(10000, type="integer", description="vocabulary size without <unk>, <eos>, <s>"),
        "lm_config": Param("conf/train/lstm-lm-ptb.properties", type="string",
                           description="trainer options file, relative to neurolake_home"),
        "samples": Param(4, type="integer", description="sentences to sample"),
        "temperature": Param(1.0, type="number", description="sampling temperature (0: most likely words)"),
    },
) as dag:
    tokenize = SparkSubmitOperator(
        task_id="tokenize",
        java_class="org.neurolake.jobs.TokenizeJob",
        application_args=[
            *common.LAKE_ARGS,
            "--corpus", CORPUS,
            "--input", "train={{ params.train_file }}",
            "--input", "valid={{ params.valid_file }}",
            "--input", "test={{ params.test_file }}",
        ],
    )
    build_vocab = SparkSubmitOperator(
        task_id="build_vocab",
        java_class="org.neurolake.jobs.BuildVocabJob",
        application_args=[*VOCAB_ARGS, "--max-words", "{{ params.max_words }}"],
    )
    token_streams = SparkSubmitOperator(
        task_id="token_streams",
        java_class="org.neurolake.jobs.TokenStreamsJob",
        application_args=[*VOCAB_ARGS, "--streams", "20", "--chunk-length", "35"],
    )
    kn5 = SparkSubmitOperator(
        task_id="kn5",
        java_class="org.neurolake.jobs.Kn5Job",
        application_args=[*VOCAB_ARGS, "--model-id", KN5_MODEL, "--evaluate", "none"],
    )
    evaluate_kn5 = SparkSubmitOperator(
        task_id="evaluate_kn5",
        java_class="org.neurolake.jobs.EvaluateKn5Job",
        application_args=[*common.LAKE_ARGS, "--model-id", KN5_MODEL, "--splits", "valid,test"],
    )
    train_lm = SparkSubmitOperator(
        task_id="train_lm",
        java_class="org.neurolake.jobs.TrainJob",
        application_args=[
            *common.LAKE_ARGS,
            "--family", "lstm-lm",
            "--dataset", CORPUS + "/" + VOCAB_ID,
            "--config", common.NEUROLAKE_HOME + "/{{ params.lm_config }}",
            "--set", "run-id=" + RUN_ID,
            "--resume",
        ],
        execution_timeout=common.TRAIN_TIMEOUT,
    )
    evaluate_lm = SparkSubmitOperator(
        task_id="evaluate_lm",
        java_class="org.neurolake.jobs.EvaluateLmJob",
        application_args=[*RUN_ARGS, "--splits", "valid,test"],
    )
    sample_lm = SparkSubmitOperator(
        task_id="sample_lm",
        java_class="org.neurolake.jobs.SampleLmJob",
        application_args=[
            *RUN_ARGS,
            "--samples", "{{ params.samples }}",
            "--temperature", "{{ params.temperature }}",
            "--seed", "{{ ds_nodash }}",
        ],
    )
    query = SparkSubmitOperator(
        task_id="query",
        java_class="org.neurolake.jobs.QueryJob",
        application_args=[*common.LAKE_ARGS, "--name", "lm_vs_kn5"],
    )
    report = SparkSubmitOperator(
        task_id="report",
        java_class="org.neurolake.jobs.ReportJob",
        application_args=[*RUN_ARGS],
        sla=common.LM_REPORT_SLA,
    )

    tokenize >> build_vocab >> token_streams >> [kn5, train_lm]
    kn5 >> evaluate_kn5 >> query
    train_lm >> evaluate_lm >> sample_lm >> query
    query >> report
