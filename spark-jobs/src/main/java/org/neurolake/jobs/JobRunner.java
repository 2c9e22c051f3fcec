package org.neurolake.jobs;

import java.io.PrintWriter;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs a job's command line: parses options, runs it, turns failures into one clear message and an exit code. */
public final class JobRunner {
  private JobRunner() {}

  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_FAILED = 1;

  /** Parses {@code args} into {@code command} and runs it; returns the process exit code. */
  public static int execute(Object command, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      Throwable root = rootCause(ex);
      PrintWriter err = line.getErr();
      err.println("error: " + root.getMessage());
      if (System.getenv("NEUROLAKE_DEBUG") != null) {
        ex.printStackTrace(err);
      } else {
        err.println("(set NEUROLAKE_DEBUG=1 for the stack trace)");
      }
      return isBadInput(root) ? EXIT_BAD_INPUT : EXIT_FAILED;
    });
    return cl.execute(args);
  }

  /** Runs and exits the JVM: for mains. */
  public static void main(Object command, String... args) {
    int code = execute(command, args);
    System.exit(code);
  }

  /** Spark wraps task failures; the user needs the innermost cause's message. */
  static Throwable rootCause(Throwable t) {
    Throwable cur = t;
    while (cur.getCause() != null && cur.getCause() != cur) {
      cur = cur.getCause();
    }
    // A SparkException carrying a task failure only has the cause's text in its message.
    return cur;
  }

  private static boolean isBadInput(Throwable t) {
    return t instanceof org.neurolake.pipelines.quarantine.BadInputException
        || t instanceof IllegalArgumentException;
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
