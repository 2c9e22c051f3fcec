package org.neurolake.jobs;

import java.io.PrintWriter;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.BadInputException;
import picocli.CommandLine;

/** Runs a job's command line: parses options, runs it, turns failures into one clear message and an exit code. */
public final class JobRunner {
  private JobRunner() {}

  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_FAILED = 1;

  /** Parses {@code args} into {@code command} and runs it; returns the process exit code. */
  public static int execute(Object command, String... args) {
    return execute(command, new PrintWriter(System.err, true), args);
  }

  /**
   * As {@link #execute(Object, String...)}, with failures reported on {@code err}: bad input (a
   * {@link BadInputException} or {@link IllegalArgumentException} anywhere in the cause chain) as
   * one line with the outermost such message, which is the project's own and names the file; other
   * failures as the innermost cause's message and a hint. The stack trace only with NEUROLAKE_DEBUG.
   */
  public static int execute(Object command, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      Throwable badInput = outermostBadInput(ex);
      Throwable reported = badInput != null ? badInput : rootCause(ex);
      err.println("error: " + oneLine(reported));
      if (System.getenv("NEUROLAKE_DEBUG") != null) {
        ex.printStackTrace(err);
      } else if (badInput == null) {
        err.println("(set NEUROLAKE_DEBUG=1 for the stack trace)");
      }
      err.flush();
      return badInput != null ? EXIT_BAD_INPUT : EXIT_FAILED;
    });
    return cl.execute(args);
  }

  /** Runs and exits the JVM: for mains. */
  public static void main(Object command, String... args) {
    int code = execute(command, args);
    System.exit(code);
  }

  /** Spark wraps task failures; for a failure that is not bad input the innermost cause says most. */
  static Throwable rootCause(Throwable t) {
    Throwable cur = t;
    while (cur.getCause() != null && cur.getCause() != cur) {
      cur = cur.getCause();
    }
    return cur;
  }

  /**
   * The outermost bad-input exception of the chain (Spark's task-failure wrappers are skipped this
   * way): the project's message naming the file, rather than the library error it wraps.
   */
  static Throwable outermostBadInput(Throwable t) {
    Throwable outermostArgument = null;
    for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
      if (cur instanceof BadInputException) {
        return cur;
      }
      if (cur instanceof IllegalArgumentException && outermostArgument == null) {
        outermostArgument = cur;
      }
    }
    return outermostArgument;
  }

  /** A message as one line: a wrapped library message may span several. */
  static String oneLine(Throwable t) {
    String m = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    return m.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * The job's Spark session. Under spark-submit the master comes from its options; a plain
   * {@code java} launch without one gets {@code local[*]}.
   */
  public static SparkSession session(String appName) {
    return session(appName, java.util.Map.of());
  }

  /** As {@link #session(String)}, with settings applied where the user has not set them. */
  public static SparkSession session(String appName, java.util.Map<String, String> defaults) {
    return session(appName, null, defaults);
  }

  /** A session whose catalog is {@code catalog} (see {@link CatalogSettings}). */
  public static SparkSession session(String appName, CatalogSettings catalog) {
    return session(appName, catalog, java.util.Map.of());
  }

  /**
   * A session whose catalog is {@code catalog} (none: Spark's default), with {@code defaults} and
   * the catalog's settings applied where the user has not set them.
   */
  public static SparkSession session(String appName, CatalogSettings catalog, java.util.Map<String, String> defaults) {
    java.util.Map<String, String> all = new java.util.LinkedHashMap<>(defaults);
    if (catalog != null) {
      all.putAll(catalog.sparkSettings());
      catalog.configureDerbyLog();
    }
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    all.forEach((k, v) -> {
      if (!conf.contains(k)) {
        conf.set(k, v);
      }
    });
    return SparkSession.builder().appName(appName).config(conf).getOrCreate();
  }

  /**
   * The Hadoop configuration a job's session would have (core-site.xml etc. and the Spark
   * configuration's {@code spark.hadoop.*} entries), without starting Spark: for dry runs.
   */
  public static org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    for (scala.Tuple2<String, String> kv : new SparkConf().getAll()) {
      if (kv._1().startsWith("spark.hadoop.")) {
        conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
      }
    }
    return conf;
  }
}
