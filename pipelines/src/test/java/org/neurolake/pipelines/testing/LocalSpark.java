package org.neurolake.pipelines.testing;

import org.apache.spark.sql.SparkSession;

/** A small local Spark session for tests (each test class runs in its own JVM). */
public final class LocalSpark {
  private LocalSpark() {}

  public static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("pipelines-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }
}
