package org.neurolake.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.MakeOdmTaskJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine;

/**
 * {@code bin/bench odm [budget-seconds] [positions] [cipher-positions]}: builds the digit task (PTB's
 * 10 most frequent letters as 8x8 digit images) and the PTB substitution cipher with {@code make-odm-task} from
 * {@code $DATA_ROOT} (default {@code ../shared/data}), then trains, each with the backup-worker
 * engine through {@code train --family odm} and an equal share of the budget (default 1500 s, 25
 * minutes in all): ODM with 0, 2 and 4 labelled images, the supervised classifier (the same network,
 * {@code model.adversarialWeight=0}) on the same 2 and 4 images and on all labels, and ODM on the
 * cipher with no labels. A quality benchmark from one seeded run of each; its times are not speed
 * figures. Ends with {@code BENCH odm err_odm_0=… err_odm_2=… err_odm_4=… err_sup_2=… err_sup_4=…
 * err_sup_all=… cipher_symbol_acc=… cipher_text_acc=… train_s=…} (errors on the held-out test images;
 * cipher_symbol_acc the fraction of the alphabet decrypted correctly, cipher_text_acc the fraction of
 * held-out text; train_s the total training time). The cipher's sequences are longer (default
 * 500,000 positions: at 50,000 eight of PTB's 49 characters never occur in the ciphertext).
 */
public final class OdmBenchmark {
  private OdmBenchmark() {}

  /** One training run of the benchmark. */
  private record Run(String key, String task, String config, List<String> settings) {}

  public static void main(String[] args) throws Exception {
    double budget = args.length > 0 ? Double.parseDouble(args[0]) : 1500;
    String positions = args.length > 1 ? args[1] : "50000";
    String cipherPositions = args.length > 2 ? args[2] : "500000";
    Path home = Path.of(System.getProperty("neurolake.home", "."));
    Path data = Path.of(System.getenv().getOrDefault("DATA_ROOT", home.resolve("../shared/data").toString()));
    Path work = BenchWork.fresh("odm");
    String lake = work.resolve("lake").toString();
    String digitsConf = home.resolve("conf/train/odm-digits.properties").toString();
    String cipherConf = home.resolve("conf/train/odm-cipher.properties").toString();

    SparkSession.Builder builder = SparkSession.builder().master(System.getProperty("spark.master", "local[*]"))
        .appName("bench odm").config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    String ptb = data.resolve("ptb/ptb.train.txt.gz").toString();
    MakeOdmTaskJob.run(spark, parse(new MakeOdmTaskJob(), "--lake", lake, "--kind", "digits", "--text", ptb,
        "--digits", data.resolve("digits/optdigits_8x8.csv.gz").toString(), "--positions", positions).config());
    MakeOdmTaskJob.run(spark, parse(new MakeOdmTaskJob(), "--lake", lake, "--kind", "cipher", "--text", ptb,
        "--test-text", data.resolve("ptb/ptb.test.txt.gz").toString(), "--positions", cipherPositions).config());

    List<Run> runs = List.of(
        new Run("odm_0", "digits", digitsConf, List.of("data.labels=0")),
        new Run("odm_2", "digits", digitsConf, List.of("data.labels=2")),
        new Run("odm_4", "digits", digitsConf, List.of("data.labels=4")),
        new Run("sup_2", "digits", digitsConf, List.of("data.labels=2", "model.adversarialWeight=0")),
        new Run("sup_4", "digits", digitsConf, List.of("data.labels=4", "model.adversarialWeight=0")),
        new Run("sup_all", "digits", digitsConf, List.of("data.labels=all", "model.adversarialWeight=0")),
        new Run("cipher", "cipher", cipherConf, List.of("data.labels=0")));
    BenchLine line = new BenchLine("odm");
    double trainSeconds = 0;
    for (Run r : runs) {
      List<String> a = new ArrayList<>(List.of("--lake", lake, "--family", "odm", "--dataset", r.task(), "--config",
          r.config(), "--set", "run-id=bench-odm-" + r.key().replace('_', '-'), "--set",
          String.format(Locale.ROOT, "time-budget-s=%.1f", budget / runs.size())));
      r.settings().forEach(s -> a.addAll(List.of("--set", s)));
      long t0 = System.nanoTime();
      TrainingRun.Result result = TrainJob.run(spark, parse(new TrainJob(), a.toArray(String[]::new)).config());
      double seconds = (System.nanoTime() - t0) / 1e9;
      trainSeconds += seconds;
      Map<String, Double> test = result.metrics("test");
      System.out.printf(Locale.ROOT, "%-8s %d rounds in %.0f s: test %s alphabet %s%n", r.key(),
          result.state().nextRound(), seconds, test, result.metrics("alphabet"));
      if (r.task().equals("cipher")) {
        line.put("cipher_symbol_acc", result.metrics("alphabet").get("accuracy"));
        line.put("cipher_text_acc", test.get("accuracy"));
      } else {
        line.put("err_" + r.key(), test.get("error"));
      }
    }
    System.out.println(line.put("train_s", trainSeconds));
    spark.stop();
  }

  private static <T> T parse(T job, String... args) {
    new CommandLine(job).parseArgs(args);
    return job;
  }
}
