package org.neurolake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.BuildVocabJob;
import org.neurolake.jobs.EvaluateVaeJob;
import org.neurolake.jobs.TokenizeJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.vae.SentenceVaeFamily;
import org.neurolake.vae.VaeRunEvaluation;
import picocli.CommandLine;

/**
 * {@code bin/bench vae-ptb [budget-seconds] [is-samples] [vae-config] [rnnlm-config]}: tokenizes
 * Penn Treebank ({@code $DATA_ROOT/ptb}) and builds its 10k vocabulary in a fresh lake, trains the
 * sentence VAE ({@code conf/train/vae-ptb.properties}) and then its RNNLM baseline
 * ({@code conf/train/rnnlm-ptb.properties}) with the backup-worker engine, each for 40% of the budget
 * (default 2400 s in all), then for each run picks the kept checkpoint with the lowest valid bound
 * and scores it once on the test split (importance-sampled NLL with {@code is-samples} posterior
 * samples, default 10), all through the jobs users run ({@code train}, {@code evaluate-vae}). One
 * seeded run of each model: a quality figure, not a timing. Ends with {@code BENCH vae-ptb nll_test=…
 * kl_test=… nll_is_test=… ppl_test=… rnnlm_nll_test=… rnnlm_ppl_test=… active_units=… train_s=…}
 * (per-sentence nats; train_s: both trainings' wall time).
 */
public final class VaePtbBenchmark {
  private VaePtbBenchmark() {}

  public static void main(String[] args) throws Exception {
    double budget = args.length > 0 ? Double.parseDouble(args[0]) : 2400;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path home = Path.of(System.getProperty("neurolake.home", "."));
    String vaeConfig = args.length > 2 ? args[2] : home.resolve("conf/train/vae-ptb.properties").toString();
    String rnnlmConfig = args.length > 3 ? args[3] : home.resolve("conf/train/rnnlm-ptb.properties").toString();
    String env = System.getenv("DATA_ROOT");
    Path ptb = (env != null && !env.isBlank() ? Path.of(env) : home.resolve("../shared/data")).resolve("ptb");
    if (!Files.isRegularFile(ptb.resolve("ptb.train.txt.gz"))) {
      System.err.println("vae-ptb: no Penn Treebank at " + ptb + " (set DATA_ROOT)");
      System.exit(2);
    }
    Path work = BenchWork.fresh("vae-ptb");
    String lake = work.resolve("lake").toString();
    SparkSession.Builder builder = SparkSession.builder().master(System.getProperty("spark.master", "local[*]"))
        .appName("bench vae-ptb").config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    TokenizeJob.run(spark, parse(new TokenizeJob(), "--lake", lake, "--corpus", "ptb",
        "--input", "train=" + ptb.resolve("ptb.train.txt.gz"), "--input", "valid=" + ptb.resolve("ptb.valid.txt.gz"),
        "--input", "test=" + ptb.resolve("ptb.test.txt.gz")).config());
    BuildVocabJob.run(spark, parse(new BuildVocabJob(), "--lake", lake, "--corpus", "ptb", "--vocab-id", "ptb-10k")
        .config());

    long perModel = Math.max(1, Math.round(budget * 0.4));
    long t0 = System.nanoTime();
    train(spark, lake, vaeConfig, "bench-vae-ptb", perModel);
    train(spark, lake, rnnlmConfig, "bench-rnnlm-ptb", perModel);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;

    VaeRunEvaluation.Result vae = evaluate(spark, lake, "bench-vae-ptb", samples);
    VaeRunEvaluation.Result rnnlm = evaluate(spark, lake, "bench-rnnlm-ptb", samples);
    Map<String, Double> v = vae.bySplit().get("test");
    Map<String, Double> r = rnnlm.bySplit().get("test");
    System.out.printf(Locale.ROOT, "%-8s %10s %10s %8s %8s %8s %6s  (test, per sentence, nats; chosen round, valid bound)%n",
        "model", "nll_bound", "nll_is", "kl", "recon", "ppl", "au");
    print("vae", v, vae);
    print("rnnlm", r, rnnlm);
    System.out.println(new BenchLine("vae-ptb")
        .put("nll_test", v.get("nll"))
        .put("kl_test", v.get("kl"))
        .put("nll_is_test", v.getOrDefault("nll_is", Double.NaN))
        .put("ppl_test", v.get("ppl"))
        .put("rnnlm_nll_test", r.get("nll"))
        .put("rnnlm_ppl_test", r.get("ppl"))
        .put("active_units", v.get("active_units"))
        .put("train_s", trainSeconds));
    spark.stop();
  }

  private static void train(SparkSession spark, String lake, String config, String runId, long budget) throws Exception {
    List<String> a = new ArrayList<>(List.of("--lake", lake, "--family", SentenceVaeFamily.NAME, "--dataset",
        "ptb/ptb-10k", "--config", config, "--set", "run-id=" + runId, "--set", "time-budget-s=" + budget));
    TrainJob.run(spark, parse(new TrainJob(), a.toArray(String[]::new)).config());
  }

  private static VaeRunEvaluation.Result evaluate(SparkSession spark, String lake, String runId, int samples) {
    return EvaluateVaeJob.run(spark, parse(new EvaluateVaeJob(), "--lake", lake, "--run-id", runId, "--splits", "test",
        "--samples", Integer.toString(samples)).config());
  }

  private static void print(String name, Map<String, Double> m, VaeRunEvaluation.Result r) {
    System.out.printf(Locale.ROOT, "%-8s %10.2f %10.2f %8.2f %8.2f %8.2f %6.0f  (round %d of %d kept, valid %.2f)%n", name,
        m.get("nll"), m.getOrDefault("nll_is", Double.NaN), m.get("kl"), m.get("recon"), m.get("ppl"),
        m.get("active_units"), r.round(), r.checkpointsCompared(), r.selectionNll());
  }

  private static <T> T parse(T job, String... args) {
    new CommandLine(job).parseArgs(args);
    return job;
  }
}
