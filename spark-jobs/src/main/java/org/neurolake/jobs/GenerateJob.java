package org.neurolake.jobs;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.TrainedModel;
import org.neurolake.model.mlstm.MlstmModel;
import org.neurolake.model.mlstm.MlstmSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import org.neurolake.sentiment.SentimentUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Samples text from a trained mLSTM run's newest valid checkpoint after a primer, optionally clamping one"
            + " cell-state unit (--clamp-unit sentiment: the unit probe-sentiment found), prints the samples and"
            + " appends them to samples (partition run_id), atomically."})
public final class GenerateJob implements Callable<Integer> {
  /** {@code --clamp-unit} value naming the probe's sentiment unit. */
  public static final String SENTIMENT = "sentiment";

  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--primer", required = true, description = "Text the samples continue (UTF-8, at least one byte).")
  String primer;

  @Option(names = "--length", defaultValue = "200", description = "Bytes to generate per sample (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "Softmax temperature; 0 takes the most likely byte (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the first sample; sample k uses seed + k (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--samples", defaultValue = "1", description = "Samples to draw (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--clamp-unit", description = "Cell-state unit to clamp: an index, or 'sentiment' for the probe's unit.")
  String clampUnit;

  @Option(names = "--clamp-value", description = "Value the clamped unit is held at (required with --clamp-unit).")
  Double clampValue;

  /**
   * A generate invocation. {@code clampUnit} is null (no clamping), a unit index, or
   * {@link #SENTIMENT}; {@code clampValue} is given exactly when it is.
   */
  public record Config(Lake lake, String runId, String primer, int length, double temperature, long seed,
      int samples, String clampUnit, Double clampValue, Path checkpointDir) {
    public Config {
      PartitionKey.requireSafe(runId);
      if (primer.isEmpty()) {
        throw new IllegalArgumentException("--primer must not be empty");
      }
      if (length < 0 || samples < 1 || !(temperature >= 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("need --length >= 0, --samples >= 1 and a finite --temperature >= 0, got "
            + length + ", " + samples + ", " + temperature);
      }
      if ((clampUnit == null) != (clampValue == null)) {
        throw new IllegalArgumentException("--clamp-unit and --clamp-value go together");
      }
      if (clampUnit != null && !clampUnit.equals(SENTIMENT) && !clampUnit.matches("\\d+")) {
        throw new IllegalArgumentException("--clamp-unit must be a unit index or '" + SENTIMENT + "', got '"
            + clampUnit + "'");
      }
    }
  }

  /** The samples drawn (continuations, without the primer) and the unit clamped (-1 for none). */
  public record Result(List<String> texts, int clampUnit) {}

  public Config config() {
    Lake lake = common.lake();
    String runId = run.runId();
    Path ckpt = run.checkpointDir(lake);
    return new Config(lake, runId, primer, length, temperature, seed, samples, clampUnit, clampValue, ckpt);
  }

  public static Result run(SparkSession spark, Config cfg) {
    TrainedModel<MlstmSpec> trained = TrainedModel.load(spark.sparkContext().hadoopConfiguration(),
        cfg.checkpointDir(), MlstmSpec.class);
    MlstmModel model = trained.spec().build();
    model.setParameters(trained.parameters());
    int unit = -1;
    if (cfg.clampUnit() != null) {
      unit = cfg.clampUnit().equals(SENTIMENT)
          ? SentimentUnit.read(spark.sparkContext().hadoopConfiguration(), cfg.checkpointDir()).unit()
          : Integer.parseInt(cfg.clampUnit());
    }
    byte[] primer = cfg.primer().getBytes(StandardCharsets.UTF_8);
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<String> texts = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < cfg.samples(); k++) {
      long s = cfg.seed() + k;
      String text = new String(model.sample(primer, cfg.length(), cfg.temperature(), s, unit,
          cfg.clampValue() == null ? 0f : cfg.clampValue().floatValue()), StandardCharsets.UTF_8);
      texts.add(text);
      rows.add(RowFactory.create(UUID.randomUUID().toString(), cfg.primer(), cfg.temperature(), s,
          unit < 0 ? null : unit, cfg.clampValue(), text, now));
    }
    new TableAppender(spark.sparkContext().hadoopConfiguration()).append(
        spark.createDataFrame(rows, LakeTables.SAMPLES.dataSchema()), cfg.lake(), LakeTables.SAMPLES,
        PartitionKey.of(LakeTables.SAMPLES, cfg.runId()));
    return new Result(texts, unit);
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("generate").lake(cfg.lake()).catalog(catalog)
          .reads("the run's checkpoints", cfg.checkpointDir());
      if (SENTIMENT.equals(cfg.clampUnit())) {
        d.reads("the sentiment unit", SentimentUnit.path(cfg.checkpointDir()));
      }
      return d.writes("samples", cfg.lake().partitionPath(LakeTables.SAMPLES,
              PartitionKey.of(LakeTables.SAMPLES, cfg.runId())))
          .note(cfg.samples() + " samples of " + cfg.length() + " bytes at temperature " + cfg.temperature())
          .print();
    }
    SparkSession spark = JobRunner.session("generate " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    for (int k = 0; k < r.texts().size(); k++) {
      System.out.printf("--- sample %d (seed %d%s)%n%s%s%n", k, cfg.seed() + k,
          r.clampUnit() < 0 ? "" : ", unit " + r.clampUnit() + " clamped at " + cfg.clampValue(), cfg.primer(),
          r.texts().get(k));
    }
    catalog.registerWritten(spark, LakeTables.SAMPLES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new GenerateJob(), args);
  }
}
