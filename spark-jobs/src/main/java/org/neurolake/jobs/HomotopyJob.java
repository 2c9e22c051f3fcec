package org.neurolake.jobs;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.vae.Homotopies;
import org.neurolake.vae.SentenceTables;
import org.neurolake.vae.VaeRunEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "homotopy", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Homotopies of a sentence-vae run's newest valid checkpoint: for each pair of sentences (sent_ids"
        + " of --split, or given text tokenized as the corpus is), the posterior means mu1, mu2 and greedy decodes of"
        + " --steps points (1 - alpha) mu1 + alpha mu2, alpha = 0 .. 1 -> homotopies (partition run_id, replaced"
        + " atomically; pair_id = the pair's position in the options).",
        "Example: homotopy --run-id vae-ptb --split test --pair 12:408 --pair 3:77 --text-pair 'i went home|she said no'"})
public final class HomotopyJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--split", defaultValue = "test", description = "Split of the --pair sent_ids (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--pair", paramLabel = "ID1:ID2", description = "Two sent_ids of --split (repeatable).")
  List<String> idPairs = new ArrayList<>();

  @Option(names = "--text-pair", paramLabel = "TEXT1|TEXT2",
      description = "Two sentences as text, words separated by spaces, split at '|' (repeatable; after the --pair ones).")
  List<String> textPairs = new ArrayList<>();

  @Option(names = "--steps", defaultValue = "5", description = "Points on the line, both ends included (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--max-length", defaultValue = "50", description = "Tokens per decode at most (default: ${DEFAULT-VALUE}).")
  int maxLength;

  /** One end of a homotopy: a sentence of the split by sent_id, or text. */
  public record Endpoint(Long sentId, String text) {
    public Endpoint {
      if ((sentId == null) == (text == null)) {
        throw new IllegalArgumentException("an endpoint is a sent_id or a text, not both or neither");
      }
    }
  }

  public record Pair(Endpoint a, Endpoint b) {}

  public record Config(Lake lake, String runId, Path checkpointDir, String split, List<Pair> pairs, int steps,
      int maxLength) {
    public Config {
      PartitionKey.requireSafe(runId);
      PartitionKey.requireSafe(split);
      pairs = List.copyOf(pairs);
      if (pairs.isEmpty()) {
        throw new IllegalArgumentException("give at least one --pair ID1:ID2 or --text-pair 'TEXT1|TEXT2'");
      }
      if (steps < 2 || maxLength < 1) {
        throw new IllegalArgumentException("need --steps >= 2 and --max-length >= 1, got " + steps + ", " + maxLength);
      }
    }
  }

  /** Per pair (in order), the points' decoded text. */
  public record Result(List<List<String>> texts) {}

  public Config config() {
    List<Pair> pairs = new ArrayList<>();
    for (String p : idPairs) {
      String[] ids = p.split(":");
      try {
        if (ids.length != 2) {
          throw new NumberFormatException("not two ids");
        }
        pairs.add(new Pair(new Endpoint(Long.parseLong(ids[0].trim()), null),
            new Endpoint(Long.parseLong(ids[1].trim()), null)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--pair takes two sent_ids as ID1:ID2, got '" + p + "'", e);
      }
    }
    for (String p : textPairs) {
      String[] texts = p.split("\\|", -1);
      if (texts.length != 2) {
        throw new IllegalArgumentException("--text-pair takes two sentences separated by one '|', got '" + p + "'");
      }
      pairs.add(new Pair(new Endpoint(null, texts[0]), new Endpoint(null, texts[1])));
    }
    Lake lake = common.lake();
    return new Config(lake, run.runId(), run.checkpointDir(lake), split, pairs, steps, maxLength);
  }

  public static Result run(SparkSession spark, Config cfg) {
    VaeRunEvaluation.LoadedRun loaded = VaeRunEvaluation.load(spark, cfg.lake(), cfg.checkpointDir());
    Map<Long, int[]> byId = new HashMap<>();
    if (cfg.pairs().stream().anyMatch(p -> p.a().sentId() != null)) {
      SentenceTables.collectWithIds(spark, cfg.lake(), loaded.data().corpus(), cfg.split(), loaded.words())
          .forEach(s -> byId.put(s.sentId(), s.ids()));
    }
    Homotopies homotopies = new Homotopies(cfg.steps(), cfg.maxLength());
    var model = loaded.latest().model();
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<Row> rows = new ArrayList<>();
    List<List<String>> texts = new ArrayList<>();
    for (int pairId = 0; pairId < cfg.pairs().size(); pairId++) {
      Pair pair = cfg.pairs().get(pairId);
      List<String> line = new ArrayList<>();
      for (Homotopies.Point point : homotopies.between(model, ids(pair.a(), byId, loaded, cfg),
          ids(pair.b(), byId, loaded, cfg))) {
        String text = SentenceTables.text(point.ids(), loaded.words());
        line.add(text);
        rows.add(RowFactory.create(pairId, point.step(), point.alpha(), text, now));
      }
      texts.add(line);
    }
    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(
        spark.createDataFrame(rows, LakeTables.HOMOTOPIES.dataSchema()), cfg.lake(), LakeTables.HOMOTOPIES,
        PartitionKey.of(LakeTables.HOMOTOPIES, cfg.runId()));
    return new Result(texts);
  }

  private static int[] ids(Endpoint e, Map<Long, int[]> byId, VaeRunEvaluation.LoadedRun loaded, Config cfg) {
    if (e.text() != null) {
      return SentenceTables.parse(e.text(), loaded.words());
    }
    int[] ids = byId.get(e.sentId());
    if (ids == null) {
      throw new BadInputException("homotopy: sent_id " + e.sentId() + " is not in sentences corpus="
          + loaded.data().corpus() + "/split=" + cfg.split());
    }
    return ids;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("homotopy").lake(cfg.lake()).catalog(catalog)
          .reads("the run's checkpoints and run.json", cfg.checkpointDir())
          .reads("sentences", cfg.lake().tablePath(LakeTables.SENTENCES))
          .writes("homotopies", cfg.lake().partitionPath(LakeTables.HOMOTOPIES,
              PartitionKey.of(LakeTables.HOMOTOPIES, cfg.runId())))
          .note(cfg.pairs().size() + " pairs, " + cfg.steps() + " points each")
          .print();
    }
    SparkSession spark = JobRunner.session("homotopy " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    for (int p = 0; p < r.texts().size(); p++) {
      System.out.printf("--- pair %d%n", p);
      r.texts().get(p).forEach(System.out::println);
    }
    catalog.registerWritten(spark, LakeTables.HOMOTOPIES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new HomotopyJob(), args);
  }
}
