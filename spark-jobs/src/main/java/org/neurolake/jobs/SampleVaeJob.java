package org.neurolake.jobs;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import org.neurolake.vae.PriorSamples;
import org.neurolake.vae.SentenceTables;
import org.neurolake.vae.VaeRunEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sample-vae", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Decodes sentences from z drawn from the prior N(0, I) of a sentence-vae run's newest valid"
        + " checkpoint: greedily (--temperature 0) or by sampling each word at the temperature, to <eos> or"
        + " --max-length tokens. Prints them and appends them to vae_samples (partition run_id) with their seed and z."
        + " Sample k uses seed + k: equal settings give equal samples.",
        "Example: sample-vae --run-id vae-ptb --samples 10 --temperature 0"})
public final class SampleVaeJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--samples", defaultValue = "10", description = "Samples to draw (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--max-length", defaultValue = "50", description = "Tokens per sample at most (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--temperature", defaultValue = "0",
      description = "0 decodes greedily; > 0 samples each word from softmax(logits / temperature) (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the first sample; sample k uses seed + k (default: ${DEFAULT-VALUE}).")
  long seed;

  public record Config(Lake lake, String runId, Path checkpointDir, int samples, int maxLength, double temperature,
      long seed) {
    public Config {
      PartitionKey.requireSafe(runId);
      if (samples < 1 || maxLength < 1 || !(temperature >= 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("need --samples >= 1, --max-length >= 1 and a finite --temperature >= 0,"
            + " got " + samples + ", " + maxLength + ", " + temperature);
      }
    }
  }

  /** The samples drawn and their text (words joined by spaces). */
  public record Result(List<PriorSamples.Sample> samples, List<String> texts) {}

  public Config config() {
    Lake lake = common.lake();
    return new Config(lake, run.runId(), run.checkpointDir(lake), samples, maxLength, temperature, seed);
  }

  public static Result run(SparkSession spark, Config cfg) {
    VaeRunEvaluation.LoadedRun loaded = VaeRunEvaluation.load(spark, cfg.lake(), cfg.checkpointDir());
    List<PriorSamples.Sample> drawn = new PriorSamples(cfg.maxLength(), cfg.temperature())
        .draw(loaded.latest().model(), cfg.samples(), cfg.seed());
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<String> texts = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (PriorSamples.Sample s : drawn) {
      String text = SentenceTables.text(s.ids(), loaded.words());
      texts.add(text);
      rows.add(RowFactory.create(UUID.randomUUID().toString(), s.seed(), cfg.temperature(), boxed(s.z()), text, now));
    }
    new TableAppender(spark.sparkContext().hadoopConfiguration()).append(
        spark.createDataFrame(rows, LakeTables.VAE_SAMPLES.dataSchema()), cfg.lake(), LakeTables.VAE_SAMPLES,
        PartitionKey.of(LakeTables.VAE_SAMPLES, cfg.runId()));
    return new Result(drawn, texts);
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("sample-vae").lake(cfg.lake()).catalog(catalog)
          .reads("the run's checkpoints and run.json", cfg.checkpointDir())
          .reads("vocab", cfg.lake().tablePath(LakeTables.VOCAB))
          .writes("vae_samples", cfg.lake().partitionPath(LakeTables.VAE_SAMPLES,
              PartitionKey.of(LakeTables.VAE_SAMPLES, cfg.runId())))
          .note(cfg.samples() + " samples of at most " + cfg.maxLength() + " tokens at temperature " + cfg.temperature())
          .print();
    }
    SparkSession spark = JobRunner.session("sample-vae " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    for (int k = 0; k < r.texts().size(); k++) {
      System.out.printf("--- sample %d (seed %d)%n%s%n", k, cfg.seed() + k, r.texts().get(k));
    }
    catalog.registerWritten(spark, LakeTables.VAE_SAMPLES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new SampleVaeJob(), args);
  }
}
