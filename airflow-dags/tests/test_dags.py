"""Tests of the neurolake DAGs without Airflow (standard library only).

Run from the project root:  python3 -m unittest discover -s airflow-dags/tests -v

Two views of each DAG file: a static one (dag_static: the file read with `ast`), and an executed
one (the file imported with small stand-ins for the Airflow classes it uses, which accept only the
arguments the real ones take, with file, process and network access blocked during the import).
"""
import ast
import builtins
import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import types
import unittest
from datetime import timedelta
from pathlib import Path

import dag_static
from dag_static import StaticError

DAGS_DIR = dag_static.DAGS_DIR
DS = "2024-01-02"
VARIABLES = {"neurolake_lake": "hdfs://nn/lake", "neurolake_home": "/opt/neurolake",
             "neurolake_app_jar": "/opt/neurolake/neurolake-app.jar"}

EXPECTED = {
    "neurolake_classifier": {
        "schedule": "@daily",
        "tasks": {
            "make_examples": "org.neurolake.jobs.MakeExamplesJob",
            "train_classifier": "org.neurolake.jobs.TrainClassifierJob",
            "plot_rounds": "org.neurolake.jobs.PlotRoundsJob",
            "report": "org.neurolake.jobs.ReportJob",
        },
        "edges": {("make_examples", "train_classifier"), ("train_classifier", "plot_rounds"),
                  ("plot_rounds", "report")},
        "train": "train_classifier",
    },
    "neurolake_lfads": {
        "schedule": "@weekly",
        "tasks": {
            "synth_spikes": "org.neurolake.jobs.SynthSpikesJob",
            "ingest_spikes": "org.neurolake.jobs.IngestSpikesJob",
            "train_lfads": "org.neurolake.jobs.TrainLfadsJob",
            "infer_lfads": "org.neurolake.jobs.InferLfadsJob",
            "evaluate_lfads": "org.neurolake.jobs.EvaluateLfadsJob",
            "report": "org.neurolake.jobs.ReportJob",
        },
        "edges": {("synth_spikes", "train_lfads"), ("ingest_spikes", "train_lfads"), ("train_lfads", "infer_lfads"),
                  ("infer_lfads", "evaluate_lfads"), ("evaluate_lfads", "report")},
        "train": "train_lfads",
    },
    "neurolake_sentiment": {
        "schedule": "@weekly",
        "tasks": {
            "train_mlstm": "org.neurolake.jobs.TrainMlstmJob",
            "extract_features": "org.neurolake.jobs.ExtractFeaturesJob",
            "probe_sentiment": "org.neurolake.jobs.ProbeSentimentJob",
            "generate": "org.neurolake.jobs.GenerateJob",
            "report": "org.neurolake.jobs.ReportJob",
        },
        "edges": {("train_mlstm", "extract_features"), ("extract_features", "probe_sentiment"),
                  ("probe_sentiment", "generate"), ("generate", "report")},
        "train": "train_mlstm",
    },
    "neurolake_lm": {
        "schedule": "@weekly",
        "tasks": {
            "tokenize": "org.neurolake.jobs.TokenizeJob",
            "build_vocab": "org.neurolake.jobs.BuildVocabJob",
            "token_streams": "org.neurolake.jobs.TokenStreamsJob",
            "kn5": "org.neurolake.jobs.Kn5Job",
            "evaluate_kn5": "org.neurolake.jobs.EvaluateKn5Job",
            "train_lm": "org.neurolake.jobs.TrainJob",
            "evaluate_lm": "org.neurolake.jobs.EvaluateLmJob",
            "sample_lm": "org.neurolake.jobs.SampleLmJob",
            "query": "org.neurolake.jobs.QueryJob",
            "report": "org.neurolake.jobs.ReportJob",
        },
        "edges": {("tokenize", "build_vocab"), ("build_vocab", "token_streams"), ("token_streams", "kn5"),
                  ("token_streams", "train_lm"), ("kn5", "evaluate_kn5"), ("evaluate_kn5", "query"),
                  ("train_lm", "evaluate_lm"), ("evaluate_lm", "sample_lm"), ("sample_lm", "query"),
                  ("query", "report")},
        "train": "train_lm",
    },
}

# Options whose value names what a task writes: each must come from the run's date, so that a
# rerun of a date rewrites exactly that date's partitions and resumes that date's run.
IDENTITY_OPTIONS = ("--dataset", "--session", "--run-id", "--corpus", "--model-id")
# Tasks that only read the lake (nothing of theirs to name after the run's date).
READ_ONLY_TASKS = {("neurolake_lm", "query")}


def args_after(args, option):
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == option]


class StaticDagTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dags = {p.stem: dag_static.load_dag(p) for p in dag_static.dag_files()}

    def test_every_dag_file_is_expected_and_named_after_its_dag(self):
        self.assertEqual(sorted(EXPECTED), sorted(self.dags))
        for stem, dag in self.dags.items():
            self.assertEqual(stem, dag.dag_id)

    def test_schedules_and_run_settings_are_deliberate(self):
        for dag_id, dag in self.dags.items():
            kw = dag.dag_kwargs
            self.assertEqual(EXPECTED[dag_id]["schedule"], kw["schedule"], dag_id)
            self.assertIs(False, kw["catchup"], dag_id)
            self.assertEqual(1, kw["max_active_runs"], dag_id)
            self.assertIsInstance(kw["dagrun_timeout"], dag_static.CallValue)
            self.assertEqual("timedelta", kw["dagrun_timeout"].name)
            common = dag_static.load_constants(DAGS_DIR / "neurolake_common.py")
            self.assertEqual(common["DEFAULT_ARGS"], kw["default_args"], dag_id)
            self.assertEqual(common["START_DATE"], kw["start_date"], dag_id)

    def test_tasks_are_spark_submits_of_the_expected_jobs(self):
        for dag_id, dag in self.dags.items():
            self.assertEqual(EXPECTED[dag_id]["tasks"],
                             {t: dag.task_kwarg(t, "java_class") for t in dag.tasks}, dag_id)
            for task in dag.tasks.values():
                self.assertEqual("SparkSubmitOperator", task.operator, f"{dag_id}.{task.task_id}")
                args = task.kwargs["application_args"]
                self.assertIsInstance(args, list)
                self.assertTrue(all(isinstance(a, str) for a in args), f"{dag_id}.{task.task_id}: {args}")
                self.assertEqual(["--lake", "{{ var.value.neurolake_lake }}"], args[:2], f"{dag_id}.{task.task_id}")

    def test_dependencies(self):
        for dag_id, dag in self.dags.items():
            self.assertEqual(EXPECTED[dag_id]["edges"], dag.edges, dag_id)

    def test_shared_defaults_come_from_the_common_module(self):
        common = dag_static.load_constants(DAGS_DIR / "neurolake_common.py")
        defaults = common["DEFAULT_ARGS"]
        self.assertEqual("{{ var.value.neurolake_app_jar }}", defaults["application"])
        self.assertEqual(common["SPARK_CONN_ID"], defaults["conn_id"])
        self.assertEqual(common["SPARK_CONF"], defaults["conf"])
        self.assertGreaterEqual(defaults["retries"], 1)
        self.assertEqual("timedelta", defaults["retry_delay"].name)
        self.assertEqual("timedelta", defaults["execution_timeout"].name)
        for dag_id, dag in self.dags.items():
            for task_id in dag.tasks:
                for shared in ("application", "conn_id", "conf", "retries"):
                    self.assertNotIn(shared, dag.tasks[task_id].kwargs, f"{dag_id}.{task_id} overrides {shared}")

    def test_reports_have_an_sla_and_training_resumes_with_its_own_timeout(self):
        for dag_id, dag in self.dags.items():
            self.assertEqual("timedelta", dag.tasks["report"].kwargs["sla"].name, dag_id)
            train = dag.tasks[EXPECTED[dag_id]["train"]]
            self.assertIn("--resume", train.kwargs["application_args"])
            self.assertEqual(dag_static.load_constants(DAGS_DIR / "neurolake_common.py")["TRAIN_TIMEOUT"],
                             train.kwargs["execution_timeout"])

    def test_what_a_task_writes_is_named_after_the_run_date(self):
        for dag_id, dag in self.dags.items():
            for task_id in dag.tasks:
                if (dag_id, task_id) in READ_ONLY_TASKS:
                    continue
                args = dag.task_kwarg(task_id, "application_args")
                values = [v for o in IDENTITY_OPTIONS for v in args_after(args, o)]
                values += [a.split("=", 1)[1] for a in args if a.startswith("run-id=")]
                self.assertTrue(values, f"{dag_id}.{task_id} names no dataset, session or run")
                for v in values:
                    self.assertIn("{{ ds_nodash }}", v, f"{dag_id}.{task_id}")

    def test_one_spike_source_runs_and_training_follows_either(self):
        lfads = self.dags["neurolake_lfads"]
        hooks = {t: lfads.tasks[t].kwargs["pre_execute"] for t in ("synth_spikes", "ingest_spikes")}
        self.assertEqual(("spikes_source", "synthetic"), hooks["synth_spikes"].args)
        self.assertEqual(("spikes_source", "recording"), hooks["ingest_spikes"].args)
        self.assertEqual("none_failed_min_one_success", lfads.tasks["train_lfads"].kwargs["trigger_rule"])
        self.assertEqual("synthetic", lfads.params["spikes_source"])

    def test_every_template_renders_with_known_variables_and_params(self):
        rendered = dag_static.rendered_tasks(dag_static.dag_files(), DS, VARIABLES, {})
        by_id = {(t["dag_id"], t["task_id"]): t for t in rendered}
        self.assertEqual(["--lake", "hdfs://nn/lake", "--dataset", "blobs-20240102", "--config",
                          "/opt/neurolake/conf/train/mlp-blobs.properties", "--set", "run-id=mlp-blobs-20240102",
                          "--resume"], by_id[("neurolake_classifier", "train_classifier")]["application_args"])
        self.assertEqual(["--lake", "hdfs://nn/lake", "--session", "lfads-20240102", "--run-id", "lfads-20240102"],
                         by_id[("neurolake_lfads", "infer_lfads")]["application_args"])
        self.assertEqual(["--lake", "hdfs://nn/lake", "--sources", "imdb,amazon", "--config",
                          "/opt/neurolake/conf/train/mlstm-reviews.properties", "--set", "run-id=mlstm-20240102",
                          "--resume"], by_id[("neurolake_sentiment", "train_mlstm")]["application_args"])
        self.assertEqual(["--lake", "hdfs://nn/lake", "--run-id", "mlstm-20240102", "--primer", "This movie was",
                          "--samples", "4", "--clamp-unit", "sentiment", "--clamp-value", "1.0", "--seed", "20240102"],
                         by_id[("neurolake_sentiment", "generate")]["application_args"])
        self.assertEqual(["--lake", "hdfs://nn/lake", "--family", "lstm-lm", "--dataset", "ptb-20240102/ptb-10k",
                          "--config", "/opt/neurolake/conf/train/lstm-lm-ptb.properties", "--set",
                          "run-id=lstm-lm-20240102", "--resume"], by_id[("neurolake_lm", "train_lm")]["application_args"])
        self.assertEqual(["--lake", "hdfs://nn/lake", "--run-id", "lstm-lm-20240102", "--splits", "valid,test"],
                         by_id[("neurolake_lm", "evaluate_lm")]["application_args"])
        self.assertEqual(["--lake", "hdfs://nn/lake", "--run-id", "lstm-lm-20240102", "--samples", "4",
                          "--temperature", "1.0", "--seed", "20240102"],
                         by_id[("neurolake_lm", "sample_lm")]["application_args"])
        for t in rendered:
            self.assertFalse(any("{" in a or "}" in a for a in t["application_args"]), t)

    def test_rendering_refuses_unknown_variables_and_jinja_beyond_lookups(self):
        ctx = {"ds": DS, "var": {"value": {}}}
        with self.assertRaisesRegex(StaticError, "var.value.neurolake_lake is undefined"):
            dag_static.render("{{ var.value.neurolake_lake }}", ctx)
        with self.assertRaisesRegex(StaticError, "is not a plain name"):
            dag_static.render("{{ ds | upper }}", ctx)
        with self.assertRaisesRegex(StaticError, "only"):
            dag_static.render("{% if x %}y{% endif %}", ctx)
        with self.assertRaisesRegex(StaticError, "no DAG declares the param"):
            dag_static.rendered_tasks(dag_static.dag_files(), DS, VARIABLES, {"no_such_param": "1"})

    def test_the_renderer_agrees_with_jinja_where_jinja_is_installed(self):
        try:
            import jinja2
        except ImportError:
            self.skipTest("jinja2 is not installed (Airflow brings it)")
        env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        for path in dag_static.dag_files():
            dag = dag_static.load_dag(path)
            for task_id in dag.tasks:
                ctx = dag_static.context_for(dag, task_id, DS, VARIABLES, {})
                for a in dag.task_kwarg(task_id, "application_args"):
                    self.assertEqual(env.from_string(a).render(**ctx), dag_static.render(a, ctx))

    def test_no_import_time_io_in_dag_files_and_the_common_module(self):
        for path in dag_static.dag_files() + [DAGS_DIR / "neurolake_common.py"]:
            self.assertEqual([], dag_static.import_time_io(path), path.name)


class CheckerCanFailTest(unittest.TestCase):
    """The static checks find what they are meant to find in a deliberately bad DAG file."""

    BAD = '''
import subprocess
from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
LAKE = Variable.get("neurolake_lake")
FILES = open("/etc/hosts").read()
with DAG(dag_id="bad", schedule="@daily") as dag:
    a = SparkSubmitOperator(task_id="a", java_class="X", application_args=[])
    b = SparkSubmitOperator(task_id="b", java_class="Y", application_args=[])
    a >> b

def at_run_time():
    return open("/fine/at/run/time").read()
'''

    def test_import_time_io_is_reported_with_its_line(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d, "neurolake_bad.py")
            path.write_text(self.BAD)
            found = dag_static.import_time_io(path)
        self.assertEqual(["line 2: import subprocess", "line 6: Variable.get()", "line 7: open()"], sorted(found))

    def test_non_declarative_dag_code_is_refused(self):
        loop = '''
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
with DAG(dag_id="loop") as dag:
    pass
for i in range(3):
    SparkSubmitOperator(task_id=f"t{i}", java_class="X", application_args=[])
'''
        with tempfile.TemporaryDirectory() as d:
            path = Path(d, "neurolake_loop.py")
            path.write_text(loop)
            with self.assertRaisesRegex(StaticError, "neurolake_loop.py:6: For at module level: keep DAG files declarative"):
                dag_static.load_dag(path, DAGS_DIR)
            path = Path(d, "neurolake_bad.py")
            path.write_text(self.BAD)
            with self.assertRaisesRegex(StaticError, r"neurolake_bad.py:7: a call of something other than a \(dotted\) name"):
                dag_static.load_dag(path, DAGS_DIR)

    def test_dependencies_are_read_from_chains_and_lists(self):
        source = '''
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
with DAG(dag_id="d") as dag:
    a = SparkSubmitOperator(task_id="a", java_class="A", application_args=[])
    b = SparkSubmitOperator(task_id="b", java_class="B", application_args=[])
    c = SparkSubmitOperator(task_id="c", java_class="C", application_args=[])
    [a, b] >> c
    c << a
    b.set_downstream(a)
'''
        with tempfile.TemporaryDirectory() as d:
            path = Path(d, "neurolake_d.py")
            path.write_text(source)
            dag = dag_static.load_dag(path, DAGS_DIR)
        self.assertEqual({("a", "c"), ("b", "c"), ("b", "a")}, dag.edges)


# --- The DAG files executed against stand-ins for Airflow --------------------------------------------

SPARK_SUBMIT_PARAMS = {
    # SparkSubmitOperator (apache-airflow-providers-apache-spark)
    "application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path", "jars", "java_class",
    "packages", "exclude_packages", "repositories", "total_executor_cores", "executor_cores", "executor_memory",
    "driver_memory", "keytab", "principal", "proxy_user", "name", "num_executors", "status_poll_interval",
    "application_args", "env_vars", "verbose", "spark_binary", "properties_file", "yarn_queue", "deploy_mode",
    # BaseOperator (Airflow 2.x)
    "task_id", "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay",
    "retry_exponential_backoff", "max_retry_delay", "start_date", "end_date", "depends_on_past",
    "wait_for_downstream", "params", "default_args", "priority_weight", "weight_rule", "queue", "pool", "pool_slots",
    "sla", "execution_timeout", "on_execute_callback", "on_failure_callback", "on_success_callback",
    "on_retry_callback", "pre_execute", "post_execute", "trigger_rule", "resources", "max_active_tis_per_dag",
    "executor_config", "do_xcom_push", "doc_md", "dag",
}
DAG_PARAMS = {"dag_id", "description", "schedule", "start_date", "end_date", "default_args", "catchup",
              "max_active_runs", "max_active_tasks", "dagrun_timeout", "tags", "params", "doc_md"}


class _Skip(Exception):
    pass


class _FakeParam:
    def __init__(self, default=None, **schema):
        self.value = default
        self.schema = schema


class _FakeDag:
    stack = []

    def __init__(self, **kwargs):
        unknown = set(kwargs) - DAG_PARAMS
        if unknown:
            raise TypeError(f"DAG got unexpected arguments {sorted(unknown)}")
        self.kwargs = kwargs
        self.tasks = {}

    def __enter__(self):
        _FakeDag.stack.append(self)
        return self

    def __exit__(self, *exc):
        _FakeDag.stack.pop()
        return False


class _FakeOperator:
    def __init__(self, **kwargs):
        unknown = set(kwargs) - SPARK_SUBMIT_PARAMS
        if unknown:
            raise TypeError(f"SparkSubmitOperator got unexpected arguments {sorted(unknown)}")
        dag = _FakeDag.stack[-1]
        defaults = dag.kwargs.get("default_args", {})
        unknown_defaults = set(defaults) - SPARK_SUBMIT_PARAMS
        if unknown_defaults:
            raise TypeError(f"default_args has keys no operator parameter takes: {sorted(unknown_defaults)}")
        self.kwargs = {**{k: v for k, v in defaults.items()}, **kwargs}  # as Airflow's apply_defaults
        self.task_id = kwargs["task_id"]
        self.downstream = set()
        dag.tasks[self.task_id] = self

    def set_downstream(self, other):
        for o in other if isinstance(other, list) else [other]:
            self.downstream.add(o.task_id)

    def set_upstream(self, other):
        for o in other if isinstance(other, list) else [other]:
            o.downstream.add(self.task_id)

    def __rshift__(self, other):
        self.set_downstream(other)
        return other

    def __rrshift__(self, other):
        self.set_upstream(other)
        return self

    def __lshift__(self, other):
        self.set_upstream(other)
        return other

    def __rlshift__(self, other):
        self.set_downstream(other)
        return self


def _fake_airflow_modules():
    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        return m

    return {
        "airflow": module("airflow", DAG=_FakeDag),
        "airflow.exceptions": module("airflow.exceptions", AirflowSkipException=_Skip),
        "airflow.models": module("airflow.models"),
        "airflow.models.param": module("airflow.models.param", Param=_FakeParam),
        "airflow.providers": module("airflow.providers"),
        "airflow.providers.apache": module("airflow.providers.apache"),
        "airflow.providers.apache.spark": module("airflow.providers.apache.spark"),
        "airflow.providers.apache.spark.operators": module("airflow.providers.apache.spark.operators"),
        "airflow.providers.apache.spark.operators.spark_submit":
            module("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=_FakeOperator),
    }


@contextlib.contextmanager
def _no_io():
    """Blocks files, processes and sockets while a DAG file is imported."""

    def refuse(what):
        def fail(*args, **kwargs):
            raise AssertionError(f"{what} called while importing a DAG file: {args}")
        return fail

    patched = [(builtins, "open"), (os, "listdir"), (os, "scandir"), (os, "system"), (subprocess, "Popen"),
               (socket, "socket")]
    saved = [(obj, attr, getattr(obj, attr)) for obj, attr in patched]
    try:
        for obj, attr in patched:
            setattr(obj, attr, refuse(f"{getattr(obj, '__name__', obj)}.{attr}"))
        yield
    finally:
        for obj, attr, value in saved:
            setattr(obj, attr, value)


def import_dag_file(path):
    """Imports a DAG file as the scheduler would, against the stand-ins; returns its DAG."""
    saved = {k: sys.modules.get(k) for k in list(_fake_airflow_modules()) + ["neurolake_common"]}
    sys.modules.update(_fake_airflow_modules())
    sys.modules.pop("neurolake_common", None)
    sys.path.insert(0, str(DAGS_DIR))
    try:
        spec = importlib.util.spec_from_file_location("dag_under_test_" + path.stem, path)
        module = importlib.util.module_from_spec(spec)
        source = path.read_bytes()
        with _no_io():
            exec(compile(source, str(path), "exec"), module.__dict__)
        return module.dag
    finally:
        sys.path.remove(str(DAGS_DIR))
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


class ExecutedDagTest(unittest.TestCase):
    def test_importing_does_no_io_and_builds_the_statically_read_graph(self):
        for path in dag_static.dag_files():
            dag = import_dag_file(path)
            static = dag_static.load_dag(path)
            self.assertEqual(static.dag_id, dag.kwargs["dag_id"])
            self.assertEqual(list(static.tasks), list(dag.tasks), path.name)
            edges = {(t.task_id, d) for t in dag.tasks.values() for d in t.downstream}
            self.assertEqual(static.edges, edges, path.name)
            for task_id, task in dag.tasks.items():
                self.assertEqual(static.task_kwarg(task_id, "application_args"), task.kwargs["application_args"])
                self.assertEqual(static.task_kwarg(task_id, "java_class"), task.kwargs["java_class"])
                self.assertIsInstance(task.kwargs["retry_delay"], timedelta)

    def test_the_spike_source_param_skips_the_other_first_task(self):
        dag = import_dag_file(DAGS_DIR / "neurolake_lfads.py")
        synth = dag.tasks["synth_spikes"].kwargs["pre_execute"]
        ingest = dag.tasks["ingest_spikes"].kwargs["pre_execute"]
        synth({"params": {"spikes_source": "synthetic"}})
        ingest({"params": {"spikes_source": "recording"}})
        with self.assertRaisesRegex(_Skip, "param spikes_source is 'synthetic', this task runs for 'recording'"):
            ingest({"params": {"spikes_source": "synthetic"}})
        with self.assertRaises(_Skip):
            synth({"params": {"spikes_source": "recording"}})
        self.assertEqual(["synthetic", "recording"], dag.kwargs["params"]["spikes_source"].schema["enum"])

    def test_the_io_guard_itself_catches_a_file_read(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d, "neurolake_reads.py")
            path.write_text('from airflow import DAG\nDATA = open("/etc/hostname").read()\n'
                            'with DAG(dag_id="neurolake_reads") as dag:\n    pass\n')
            with self.assertRaisesRegex(AssertionError, "open called while importing a DAG file"):
                import_dag_file(path)


if __name__ == "__main__":
    unittest.main()
