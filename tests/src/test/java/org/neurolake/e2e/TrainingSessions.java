package org.neurolake.e2e;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.neurolake.train.BackupWorkerTrainer;

/** The Spark session of an end-to-end test that trains: no UI, the engine's settings, headless plots. */
final class TrainingSessions {
  private TrainingSessions() {}

  static SparkSession start(String master, String app, Map<String, String> extra) {
    SparkSession.Builder b = SparkSession.builder().master(master).appName(app).config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(b::config);
    extra.forEach(b::config);
    System.setProperty("java.awt.headless", "true");
    return b.getOrCreate();
  }
}
