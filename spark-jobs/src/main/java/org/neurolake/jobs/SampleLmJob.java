package org.neurolake.jobs;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.TrainedModel;
import org.neurolake.lm.LmData;
import org.neurolake.lm.LmTables;
import org.neurolake.model.lm.CharTable;
import org.neurolake.model.lm.LstmLmModel;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.pipelines.lm.SpecialTokens;
import org.neurolake.pipelines.lm.VocabLookup;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sample-lm", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Samples sentences from a trained lstm-lm run's newest valid checkpoint: each starts after an"
        + " end of sentence and the optional --prefix words and runs to <eos> or --max-length words. Prints them and"
        + " appends them to samples (partition run_id; primer = the prefix), atomically. Sample k uses seed + k:"
        + " equal settings give equal text.",
        "Example: sample-lm --run-id lstm-lm-ptb --samples 2 --temperature 0.8 --prefix 'the company'"})
public final class SampleLmJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--prefix", defaultValue = "",
      description = "Words the samples continue, separated by spaces (unknown words read as <unk>; default: none).")
  String prefix;

  @Option(names = "--max-length", defaultValue = "50", description = "Words per sample at most (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "Softmax temperature; 0 takes the most likely word (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the first sample; sample k uses seed + k (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--samples", defaultValue = "1", description = "Samples to draw (default: ${DEFAULT-VALUE}).")
  int samples;

  public record Config(Lake lake, String runId, Path checkpointDir, List<String> prefix, int maxLength,
      double temperature, long seed, int samples) {
    public Config {
      PartitionKey.requireSafe(runId);
      prefix = List.copyOf(prefix);
      if (maxLength < 1 || samples < 1 || !(temperature >= 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("need --max-length >= 1, --samples >= 1 and a finite --temperature >= 0,"
            + " got " + maxLength + ", " + samples + ", " + temperature);
      }
    }
  }

  /** The samples drawn: the generated words only (the prefix not repeated), <eos> included when drawn. */
  public record Result(List<String> texts) {}

  public Config config() {
    Lake lake = common.lake();
    List<String> words = prefix.isBlank() ? List.of() : List.of(prefix.trim().split("\\s+"));
    return new Config(lake, run.runId(), run.checkpointDir(lake), words, maxLength, temperature, seed, samples);
  }

  public static Result run(SparkSession spark, Config cfg) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    LmData data = EvaluateLmJob.lmRun(conf, cfg.checkpointDir(), cfg.runId()).data(LmData.class);
    TrainedModel<LstmLmSpec> trained = TrainedModel.load(conf, cfg.checkpointDir(), LstmLmSpec.class);
    LstmLmModel model = trained.spec().build();
    model.setParameters(trained.parameters());
    CharTable chars = LmTables.charTable(spark, cfg.lake(), data.corpus(), data.vocabId(), trained.spec());
    String[] words = LmTables.words(spark, cfg.lake(), data.corpus(), data.vocabId());
    if (words.length != trained.spec().vocabSize()) {
      throw new IllegalArgumentException("vocab " + data.corpus() + "/" + data.vocabId() + " has " + words.length
          + " words, the run's model " + trained.spec().vocabSize() + ": it was rebuilt after training");
    }
    VocabLookup vocab = VocabLookup.read(spark, cfg.lake(), data.corpus(), data.vocabId());
    int[] context = new int[cfg.prefix().size() + 1];
    context[0] = SpecialTokens.EOS_ID; // a sentence starts after the previous one's end
    for (int i = 0; i < cfg.prefix().size(); i++) {
      context[i + 1] = vocab.id(cfg.prefix().get(i));
    }
    String primer = String.join(" ", cfg.prefix());
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<String> texts = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < cfg.samples(); k++) {
      long s = cfg.seed() + k;
      int[] ids = model.sample(context, cfg.maxLength(), cfg.temperature(), new SplittableRandom(s),
          SpecialTokens.EOS_ID, chars);
      List<String> out = new ArrayList<>(ids.length);
      for (int id : ids) {
        out.add(words[id]);
      }
      String text = String.join(" ", out);
      texts.add(text);
      rows.add(RowFactory.create(UUID.randomUUID().toString(), primer, cfg.temperature(), s, null, null, text, now));
    }
    new TableAppender(conf).append(spark.createDataFrame(rows, LakeTables.SAMPLES.dataSchema()), cfg.lake(),
        LakeTables.SAMPLES, PartitionKey.of(LakeTables.SAMPLES, cfg.runId()));
    return new Result(texts);
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("sample-lm").lake(cfg.lake()).catalog(catalog)
          .reads("the run's checkpoints and run.json", cfg.checkpointDir())
          .reads("vocab", cfg.lake().tablePath(LakeTables.VOCAB))
          .writes("samples", cfg.lake().partitionPath(LakeTables.SAMPLES, PartitionKey.of(LakeTables.SAMPLES, cfg.runId())))
          .note(cfg.samples() + " samples of at most " + cfg.maxLength() + " words at temperature " + cfg.temperature())
          .print();
    }
    SparkSession spark = JobRunner.session("sample-lm " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    for (int k = 0; k < r.texts().size(); k++) {
      System.out.printf("--- sample %d (seed %d)%n%s%s%n", k, cfg.seed() + k,
          cfg.prefix().isEmpty() ? "" : String.join(" ", cfg.prefix()) + " ", r.texts().get(k));
    }
    catalog.registerWritten(spark, LakeTables.SAMPLES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new SampleLmJob(), args);
  }
}
