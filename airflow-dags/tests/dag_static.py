"""Reads the neurolake DAG files without Airflow: with `ast`, standard library only.

A DAG file is declarative: module-level constants, one `with DAG(...) as dag:` block holding
`SparkSubmitOperator(...)` tasks and `>>` chains (or set_downstream calls). This module evaluates
those statically (literals, lists and dicts, `*` unpacking, `+` of strings and lists, names from
the file and from neurolake_common, timedelta/datetime/Param calls), renders the Jinja templates of
task arguments with sample values, and finds module-level code that would do I/O at import time.
Anything it cannot evaluate is an error naming the file and line: keeping DAG files within this
subset is part of what the tests check.

Command line, used by the Java test that dry-runs every task (tests module, DagTasksTest):

    python3 dag_static.py tasks --ds 2024-01-02 --var neurolake_lake=/tmp/lake ... [--param k=v ...]

prints a JSON list of {dag_id, task_id, java_class, application_args} with the templates rendered.
"""
import argparse
import ast
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

DAGS_DIR = Path(__file__).resolve().parent.parent
COMMON_MODULE = "neurolake_common"


class StaticError(Exception):
    """A DAG file uses something this reader cannot evaluate without running it."""


@dataclass(frozen=True)
class CallValue:
    """A call that is not executed at read time: its function name and evaluated arguments."""
    name: str
    args: tuple
    kwargs: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class TaskRef:
    task_id: str


@dataclass
class StaticTask:
    task_id: str
    operator: str
    kwargs: dict
    line: int


@dataclass
class StaticDag:
    path: Path
    dag_kwargs: dict
    tasks: dict  # task_id -> StaticTask, in definition order
    edges: set  # (upstream task_id, downstream task_id)
    env: dict

    @property
    def dag_id(self):
        return self.dag_kwargs.get("dag_id")

    @property
    def params(self):
        """DAG params with their default values."""
        out = {}
        for k, v in self.dag_kwargs.get("params", {}).items():
            out[k] = v.args[0] if isinstance(v, CallValue) and v.name == "Param" else v
        return out

    def task_kwarg(self, task_id, name):
        """A task argument, falling back to the DAG's default_args as Airflow does."""
        task = self.tasks[task_id]
        if name in task.kwargs:
            return task.kwargs[name]
        return self.dag_kwargs.get("default_args", {}).get(name)


class _Evaluator:
    def __init__(self, path, env, modules):
        self.path = path
        self.env = env
        self.modules = modules  # alias -> env of an imported project module

    def error(self, node, what):
        return StaticError(f"{self.path.name}:{getattr(node, 'lineno', '?')}: {what}")

    def eval(self, node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List) or isinstance(node, ast.Tuple):
            out = []
            for e in node.elts:
                if isinstance(e, ast.Starred):
                    out.extend(self.eval(e.value))
                else:
                    out.append(self.eval(e))
            return out if isinstance(node, ast.List) else tuple(out)
        if isinstance(node, ast.Dict):
            out = {}
            for k, v in zip(node.keys, node.values):
                if k is None:
                    out.update(self.eval(v))
                else:
                    out[self.eval(k)] = self.eval(v)
            return out
        if isinstance(node, ast.Name):
            if node.id in self.env:
                return self.env[node.id]
            raise self.error(node, f"name {node.id!r} is not a module-level constant")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in self.modules:
            module_env = self.modules[node.value.id]
            if node.attr not in module_env:
                raise self.error(node, f"{node.value.id}.{node.attr} is not a constant of that module")
            return module_env[node.attr]
        if isinstance(node, ast.Attribute):
            root = node
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and isinstance(self.env.get(root.id), CallValue) \
                    and self.env[root.id].name.startswith("import "):
                return CallValue(_dotted(node), ())  # e.g. timezone.utc: kept by name
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.eval(node.left), self.eval(node.right)
            if type(left) is not type(right) or not isinstance(left, (str, list)):
                raise self.error(node, "+ only joins two strings or two lists here")
            return left + right
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name is None:
                raise self.error(node, "a call of something other than a (dotted) name")
            args = tuple(self.eval(a) for a in node.args)
            kwargs = {k.arg: self.eval(k.value) for k in node.keywords if k.arg is not None}
            return CallValue(name, args, kwargs)
        raise self.error(node, f"{type(node).__name__} cannot be evaluated statically")


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else base + "." + node.attr
    return None


def load_constants(path):
    """The module-level constants of a helper module such as neurolake_common (functions are skipped)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    env = {}
    ev = _Evaluator(path, env, {})
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            env[stmt.targets[0].id] = ev.eval(stmt.value)
        elif isinstance(stmt, ast.FunctionDef):
            env[stmt.name] = CallValue("def " + stmt.name, ())
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                env[alias.asname or alias.name] = CallValue(
                    "import " + (getattr(stmt, "module", None) or alias.name) + "." + alias.name, ())
    return env


def load_dag(path, dags_dir=DAGS_DIR):
    """Reads one DAG file: its DAG arguments, tasks and dependencies."""
    path = Path(path)
    tree = ast.parse(path.read_text(), filename=str(path))
    env, modules = {}, {}
    ev = _Evaluator(path, env, modules)
    dag = StaticDag(path, {}, {}, set(), env)

    def imports(stmt):
        for alias in stmt.names:
            local = alias.asname or alias.name
            if isinstance(stmt, ast.Import) and alias.name == COMMON_MODULE:
                modules[local] = load_constants(dags_dir / (COMMON_MODULE + ".py"))
            elif isinstance(stmt, ast.ImportFrom) and stmt.module == COMMON_MODULE:
                env[local] = load_constants(dags_dir / (COMMON_MODULE + ".py"))[alias.name]
            else:
                env[local] = CallValue("import " + (getattr(stmt, "module", None) or alias.name) + "." + alias.name, ())

    def operator_call(node):
        return isinstance(node, ast.Call) and _dotted(node.func) in ("SparkSubmitOperator",) or (
            isinstance(node, ast.Call) and (_dotted(node.func) or "").endswith("Operator"))

    def statement(stmt, in_dag):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            imports(stmt)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            pass  # docstring
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if operator_call(stmt.value):
                if not in_dag:
                    raise ev.error(stmt, "an operator outside the `with DAG(...)` block")
                call = stmt.value
                if call.args:
                    raise ev.error(stmt, "operators take keyword arguments only")
                kwargs = {}
                for k in call.keywords:
                    try:
                        kwargs[k.arg] = ev.eval(k.value)
                    except StaticError:
                        if k.arg in ("task_id", "java_class", "application_args", "trigger_rule"):
                            raise
                        kwargs[k.arg] = CallValue("<not evaluated>", ())
                task_id = kwargs.get("task_id")
                if not isinstance(task_id, str):
                    raise ev.error(stmt, "an operator without a literal task_id")
                if task_id in dag.tasks:
                    raise ev.error(stmt, f"task_id {task_id!r} is used twice")
                dag.tasks[task_id] = StaticTask(task_id, _dotted(call.func), kwargs, stmt.lineno)
                env[name] = TaskRef(task_id)
            else:
                env[name] = ev.eval(stmt.value)
        elif isinstance(stmt, ast.With) and not in_dag:
            item = stmt.items[0]
            if len(stmt.items) != 1 or not isinstance(item.context_expr, ast.Call) or _dotted(item.context_expr.func) != "DAG":
                raise ev.error(stmt, "the only `with` at module level is `with DAG(...) as dag:`")
            if dag.dag_kwargs:
                raise ev.error(stmt, "a second DAG in one file")
            dag.dag_kwargs.update({k.arg: ev.eval(k.value) for k in item.context_expr.keywords})
            for inner in stmt.body:
                statement(inner, True)
        elif isinstance(stmt, ast.Expr) and in_dag:
            dependencies(stmt.value)
        elif isinstance(stmt, ast.FunctionDef):
            env[stmt.name] = CallValue("def " + stmt.name, ())
        elif isinstance(stmt, ast.Pass) and in_dag:
            pass
        else:
            raise ev.error(stmt, f"{type(stmt).__name__} at module level: keep DAG files declarative")

    def refs(node):
        value = ev.eval(node)
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, TaskRef) for i in items):
            raise ev.error(node, "a dependency between things that are not tasks")
        return [i.task_id for i in items]

    def dependencies(node):
        """`a >> b >> [c, d]`, `a << b`, `a.set_downstream(b)`; returns the right-most tasks."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            left = dependencies(node.left) if isinstance(node.left, ast.BinOp) else refs(node.left)
            right = refs(node.right)
            for a in left:
                for b in right:
                    dag.edges.add((a, b) if isinstance(node.op, ast.RShift) else (b, a))
            return right
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "set_downstream", "set_upstream"):
            for a in refs(node.func.value):
                for b in refs(node.args[0]):
                    dag.edges.add((a, b) if node.func.attr == "set_downstream" else (b, a))
            return []
        raise ev.error(node, "an expression that is not a task dependency")

    for stmt in tree.body:
        statement(stmt, False)
    if not dag.dag_kwargs:
        raise StaticError(f"{path.name}: no `with DAG(...) as dag:` block")
    return dag


def dag_files(dags_dir=DAGS_DIR):
    """Every DAG file: the neurolake_*.py files except the shared module."""
    return sorted(p for p in Path(dags_dir).glob("neurolake_*.py") if p.stem != COMMON_MODULE)


# --- Import-time I/O ------------------------------------------------------------------------------

FORBIDDEN_CALLS = {
    "open", "input", "exec", "eval", "compile", "__import__", "print",
    "os.listdir", "os.scandir", "os.walk", "os.stat", "os.system", "os.popen", "os.getcwd", "os.environ.get",
    "os.getenv", "os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.getsize", "os.path.realpath",
    "glob.glob", "glob.iglob", "shutil.copy", "shutil.rmtree", "time.sleep",
    "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
    "requests.get", "requests.post", "urllib.request.urlopen", "socket.socket", "socket.create_connection",
    "Variable.get", "Variable.set", "Connection.get_connection_from_secrets", "BaseHook.get_connection",
    "datetime.now", "datetime.utcnow", "datetime.today", "pendulum.now", "date.today",
}
FORBIDDEN_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "exists", "glob", "rglob",
                     "mkdir", "unlink", "touch", "open", "urlopen"}
FORBIDDEN_MODULES = {"subprocess", "requests", "socket", "urllib.request", "http.client", "glob", "shutil", "sqlite3"}


def import_time_io(path):
    """Module-level code of `path` (not function bodies, which run only when called) that does I/O,
    blocks, or reads Airflow Variables/Connections when the scheduler imports the file."""
    tree = ast.parse(Path(path).read_text(), filename=str(path))
    found = []

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return  # runs only when called (e.g. a pre_execute hook at task run time)
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in FORBIDDEN_MODULES:
                    found.append(f"line {node.lineno}: import {a.name}")
        if isinstance(node, ast.ImportFrom) and node.module in FORBIDDEN_MODULES:
            found.append(f"line {node.lineno}: from {node.module} import ...")
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name in FORBIDDEN_CALLS or (name and name.split(".")[-1] in ("Variable.get",)):
                found.append(f"line {node.lineno}: {name}()")
            elif isinstance(node.func, ast.Attribute) and node.func.attr in FORBIDDEN_METHODS:
                found.append(f"line {node.lineno}: .{node.func.attr}()")
            elif name and name.endswith(".get") and name.split(".")[0] == "Variable":
                found.append(f"line {node.lineno}: {name}()")
        for child in ast.iter_child_nodes(node):
            visit(child)

    for stmt in tree.body:
        visit(stmt)
    return found


# --- Templates ------------------------------------------------------------------------------------

_EXPRESSION = re.compile(r"{{(.*?)}}", re.S)
_PATH = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*")


def render(template, context):
    """Renders the Jinja subset the DAGs use: `{{ name }}` and `{{ a.b.c }}` lookups in `context`
    (nested dicts). Statements ({% %}), filters, calls and undefined names are errors, so a template
    that renders here renders the same in Airflow's Jinja."""
    if not isinstance(template, str):
        return template
    if "{%" in template or "{#" in template:
        raise StaticError(f"template {template!r}: only {{{{ name }}}} expressions are supported")

    def lookup(match):
        m = _PATH.fullmatch(match.group(1))
        if not m:
            raise StaticError(f"template {template!r}: {match.group(1).strip()!r} is not a plain name")
        value = context
        for part in m.group(1).split("."):
            if not isinstance(value, dict) or part not in value:
                raise StaticError(f"template {template!r}: {m.group(1)} is undefined")
            value = value[part]
        if isinstance(value, dict):
            raise StaticError(f"template {template!r}: {m.group(1)} is not a value")
        return str(value)

    out = _EXPRESSION.sub(lookup, template)
    if "{{" in out or "}}" in out:
        raise StaticError(f"template {template!r}: unbalanced braces")
    return out


def context_for(dag, task_id, ds, variables, params):
    """The template context Airflow gives a task of a scheduled run on `ds` (the subset DAGs use)."""
    merged = dict(dag.params)
    merged.update({k: v for k, v in params.items() if k in dag.params})
    return {
        "ds": ds,
        "ds_nodash": ds.replace("-", ""),
        "run_id": f"scheduled__{ds}T00:00:00+00:00",
        "dag": {"dag_id": dag.dag_id},
        "task": {"task_id": task_id},
        "params": merged,
        "var": {"value": dict(variables)},
    }


def rendered_tasks(paths, ds, variables, params):
    """Every SparkSubmitOperator task of `paths` with its java_class and rendered application_args."""
    out = []
    declared = set()
    for path in paths:
        dag = load_dag(path)
        declared.update(dag.params)
        for task_id, task in dag.tasks.items():
            ctx = context_for(dag, task_id, ds, variables, params)
            out.append({
                "dag_id": dag.dag_id,
                "task_id": task_id,
                "java_class": dag.task_kwarg(task_id, "java_class"),
                "application_args": [render(a, ctx) for a in dag.task_kwarg(task_id, "application_args")],
            })
    unknown = sorted(set(params) - declared)
    if unknown:
        raise StaticError(f"no DAG declares the param(s) {', '.join(unknown)}")
    return out


def _pairs(items, what):
    out = {}
    for item in items or []:
        if "=" not in item:
            raise SystemExit(f"--{what} takes KEY=VALUE, not {item!r}")
        k, v = item.split("=", 1)
        out[k] = v
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tasks = sub.add_parser("tasks", help="print every task's java_class and rendered application_args as JSON")
    tasks.add_argument("--ds", required=True, help="the run's logical date, YYYY-MM-DD")
    tasks.add_argument("--var", action="append", help="an Airflow Variable, KEY=VALUE")
    tasks.add_argument("--param", action="append", help="a DAG param, KEY=VALUE (overrides its default)")
    tasks.add_argument("files", nargs="*", help="DAG files (default: every one in airflow-dags/)")
    args = parser.parse_args(argv)
    try:
        result = rendered_tasks([Path(f) for f in args.files] or dag_files(), args.ds, _pairs(args.var, "var"),
                                _pairs(args.param, "param"))
    except StaticError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
