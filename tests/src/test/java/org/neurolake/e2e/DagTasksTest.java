package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.JobRunner;
import picocli.CommandLine;

/**
 * Every task of every Airflow DAG as the scheduler would submit it: the DAG files are read by
 * {@code airflow-dags/tests/dag_static.py} (no Airflow needed), their templates rendered for a
 * sample date; each task's java_class must be a picocli job with a main, in the application jar,
 * and the job must accept the task's arguments: with {@code --dry-run} added it exits 0, checks its
 * inputs, and neither starts Spark nor writes to the lake.
 */
class DagTasksTest {
  @TempDir static Path dir;
  static Path root;
  static Path lake;
  static List<DagTask> tasks;

  /** One task as dag_static.py prints it. */
  record DagTask(@JsonProperty("dag_id") String dagId, @JsonProperty("task_id") String taskId,
      @JsonProperty("java_class") String javaClass, @JsonProperty("application_args") List<String> args) {}

  /** A recording the neurolake_lfads DAG's ingest_spikes task is given through its params. */
  static final String RECORDING = "spiking/datahigh_ex1_pmd_delay400ms_spikes.csv.gz";
  static final String RECORDING_TRIALS = "spiking/datahigh_ex1_pmd_delay400ms_trials.csv";

  @BeforeAll
  static void renderTheDags() throws Exception {
    root = TestData.projectRoot();
    lake = dir.resolve("lake");
    List<String> cmd = new ArrayList<>(List.of("python3", root.resolve("airflow-dags/tests/dag_static.py").toString(),
        "tasks", "--ds", "2024-01-02",
        "--var", "neurolake_lake=" + lake,
        "--var", "neurolake_home=" + root,
        "--var", "neurolake_app_jar=" + root.resolve("spark-jobs/target/neurolake-app.jar")));
    Path data = TestData.configuredRoot();
    cmd.addAll(List.of("--param", "recording_input=" + data.resolve(RECORDING),
        "--param", "recording_trials=" + data.resolve(RECORDING_TRIALS),
        "--param", "train_file=" + data.resolve("ptb/ptb.train.txt.gz"),
        "--param", "valid_file=" + data.resolve("ptb/ptb.valid.txt.gz"),
        "--param", "test_file=" + data.resolve("ptb/ptb.test.txt.gz")));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] json = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(1, TimeUnit.MINUTES), "dag_static.py timed out");
    assertEquals(0, p.exitValue(), "dag_static.py tasks failed: " + String.join(" ", cmd));
    tasks = new ObjectMapper().readValue(json, new TypeReference<List<DagTask>>() {});
    assertTrue(tasks.size() >= 10, "the DAGs have at least 10 tasks: " + tasks);
  }

  @TestFactory
  Stream<DynamicTest> everyTaskIsAJobThatAcceptsItsArgumentsInADryRun() {
    return tasks.stream().map(t -> DynamicTest.dynamicTest(t.dagId() + "." + t.taskId(), () -> check(t)));
  }

  private static void check(DagTask t) throws Exception {
    if (t.args().contains("--input")) {
      TestData.root(); // the recording comes from the real data; skipped without it unless REQUIRE_DATA=1
    }
    Class<?> job;
    try {
      job = Class.forName(t.javaClass());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(t.dagId() + "." + t.taskId() + ": class " + t.javaClass() + " not found", e);
    }
    assertTrue(job.isAnnotationPresent(CommandLine.Command.class), t.javaClass() + " is a picocli command");
    assertTrue(Callable.class.isAssignableFrom(job), t.javaClass() + " is a Callable job");
    Method main = job.getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()),
        t.javaClass() + " has a public static main");
    Path jar = root.resolve("spark-jobs/target/neurolake-app.jar");
    try (JarFile j = new JarFile(jar.toFile())) {
      assertTrue(j.getEntry(t.javaClass().replace('.', '/') + ".class") != null,
          t.javaClass() + " is in " + jar);
    }

    List<String> args = new ArrayList<>(t.args());
    args.add("--dry-run");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    // Another test class of this JVM may have left a session; the dry run must not make one.
    Object sessionBefore = SparkSession.getDefaultSession();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = JobRunner.execute(job.getDeclaredConstructor().newInstance(), args.toArray(String[]::new));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    if (exit != 0) {
      fail(t.dagId() + "." + t.taskId() + ": " + t.javaClass() + " " + String.join(" ", args) + " exited " + exit
          + ":\n" + printed);
    }
    assertTrue(printed.contains("checks passed, nothing done"), printed);
    assertEquals(sessionBefore, SparkSession.getDefaultSession(), "a dry run starts no Spark session");
    assertFalse(Files.exists(lake), "a dry run writes nothing to the lake");
  }
}
