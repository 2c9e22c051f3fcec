package org.neurolake.odm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.odm.FrequencyRank;
import org.neurolake.model.odm.OdmModel;
import org.neurolake.model.odm.OdmShard;
import org.neurolake.model.odm.OdmSpec;
import org.neurolake.pipelines.odm.OdmTask;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * Output Distribution Matching ({@link OdmSpec}) on an {@code odm_sequences} task
 * ({@code --dataset} names it; {@code make-odm-task} writes it). Shard i of the N+b holds the i-th
 * contiguous stretch of the input sequence and of the label sequence, and every labelled example
 * (all labels: the i-th stretch of them). The engine's batch size counts windows.
 *
 * <p>{@code data.labels}: 0 (default), k, or {@code all}; {@code data.labelled-per-batch}: labelled
 * rows per batch (default 32, at most the labelled examples). The supervised baselines are the same
 * family with {@code model.adversarialWeight=0}. Evaluations: split {@code inputs} (the first
 * input positions against their true classes: the validation figure), split {@code test}
 * (held-out examples: {@code error}, {@code accuracy}), and for a cipher split {@code alphabet}
 * (one example per symbol: the fraction of symbols mapped correctly).
 */
public final class OdmFamily implements ModelFamily<OdmSpec, OdmData> {
  public static final String NAME = "odm";
  public static final String LABELS = "labels";
  public static final String LABELLED_PER_BATCH = "labelled-per-batch";
  public static final int DEFAULT_LABELLED_PER_BATCH = 32;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "Output Distribution Matching on an odm_sequences task (--dataset); data.labels=0|k|all";
  }

  @Override
  public Class<OdmSpec> specType() {
    return OdmSpec.class;
  }

  @Override
  public List<DataRead> reads(Lake lake, String dataset) {
    return OdmData.reads(lake, dataset);
  }

  @Override
  public OdmData load(SparkSession spark, TrainRequest request) {
    request.options().requireDataKeys(Set.of(LABELS, LABELLED_PER_BATCH));
    return OdmData.load(spark, request.lake(), request.dataset(), request.options().data(LABELS, "0"),
        labelledPerBatch(request), request.trainer().seed());
  }

  private static int labelledPerBatch(TrainRequest request) {
    String v = request.options().data(LABELLED_PER_BATCH, Integer.toString(DEFAULT_LABELLED_PER_BATCH));
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new IllegalArgumentException("data." + LABELLED_PER_BATCH + " must be >= 1, got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("data." + LABELLED_PER_BATCH + " must be an integer, got '" + v + "'", e);
    }
  }

  @Override
  public OdmSpec spec(OdmData data, TrainRequest request) {
    Map<String, String> model = request.options().model();
    for (String fixed : new String[] {"nIn", "nClasses"}) {
      if (model.containsKey(fixed)) {
        throw new IllegalArgumentException("model." + fixed + " follows from the task; it cannot be set");
      }
    }
    TrainerConfig tc = request.trainer();
    OdmSpec defaults = OdmSpec.builder(data.sequences().nIn(), data.sequences().nClasses())
        .learningRate(tc.learningRate().base()).seed(tc.seed()).build();
    OdmSpec spec = ModelSpecOptions.apply(defaults, model);
    if (spec.frequencyInit() > 0 && spec.frequencyPrior().isEmpty()) {
      spec = spec.toBuilder().frequencyPrior(frequencyPrior(data.sequences())).build();
    }
    return spec;
  }

  /**
   * Frequency analysis' guess (for {@code model.frequencyInit}): input columns and classes matched by
   * the rank of their mass in the unlabelled inputs and their count in the label sequence.
   */
  static List<Integer> frequencyPrior(OdmTask t) {
    double[] mass = new double[t.nIn()];
    float[] x = t.inputs();
    for (int i = 0; i < x.length; i++) {
      mass[i % t.nIn()] += x[i];
    }
    double[] counts = new double[t.nClasses()];
    for (int y : t.labels()) {
      counts[y]++;
    }
    return Arrays.stream(FrequencyRank.match(mass, counts)).boxed().toList();
  }

  @Override
  public JavaRDD<ExampleShard> shards(OdmData data, OdmSpec spec, TrainerConfig trainer) {
    int n = trainer.tasksPerRound();
    OdmTask t = data.sequences();
    int nIn = t.nIn();
    int positions = t.inputClasses().length;
    int labels = t.labels().length;
    int labelled = data.labelledClasses().length;
    boolean sliceLabelled = labelled > 1000;
    List<ExampleShard> shards = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int p0 = (int) ((long) positions * i / n);
      int p1 = (int) ((long) positions * (i + 1) / n);
      int l0 = (int) ((long) labels * i / n);
      int l1 = (int) ((long) labels * (i + 1) / n);
      int s0 = sliceLabelled ? (int) ((long) labelled * i / n) : 0;
      int s1 = sliceLabelled ? (int) ((long) labelled * (i + 1) / n) : labelled;
      if (p1 - p0 < spec.window() || l1 - l0 < spec.window()) {
        throw new IllegalArgumentException("shard " + i + " of " + n + " gets fewer than a window of " + spec.window()
            + " inputs or labels; the task is too short for N+b = " + n);
      }
      shards.add(new OdmShard(Arrays.copyOfRange(t.inputs(), p0 * nIn, p1 * nIn),
          Arrays.copyOfRange(t.labels(), l0, l1), Arrays.copyOfRange(data.labelledFeatures(), s0 * nIn, s1 * nIn),
          Arrays.copyOfRange(data.labelledClasses(), s0, s1), nIn, t.nClasses(), spec.window(),
          data.labelledPerBatch()));
    }
    return JavaSparkContext.fromSparkContext(SparkSession.active().sparkContext()).parallelize(shards, n)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  @Override
  public TrainingRun.Evaluator evaluator(OdmData data, OdmSpec spec) {
    OdmTask t = data.sequences();
    return TrainingRun.Evaluator.on(spec.build(), model -> evaluate(model, t));
  }

  /** Input positions scored on split {@code inputs} (the validation figure settings are chosen by). */
  static final int VALIDATION_POSITIONS = 5000;

  /**
   * Error and accuracy on the first {@value #VALIDATION_POSITIONS} positions of the unlabelled input
   * sequence against their true classes (split {@code inputs}: training inputs, never their
   * classes in training unless labelled, so a validation figure that leaves the test set alone),
   * test error and accuracy; with an alphabet, its accuracy (the fraction of symbols mapped correctly).
   */
  static List<TrainingRun.Evaluation> evaluate(OdmModel model, OdmTask t) {
    List<TrainingRun.Evaluation> out = new ArrayList<>();
    int n = Math.min(VALIDATION_POSITIONS, t.inputClasses().length);
    if (n > 0) {
      model.evaluate(OdmShard.labelledBatch(Arrays.copyOf(t.inputs(), n * t.nIn()),
          Arrays.copyOf(t.inputClasses(), n), t.nIn())).forEach((k, x) -> {
            if (!k.equals("cross_entropy")) {
              out.add(new TrainingRun.Evaluation(OdmTask.INPUTS, k, x));
            }
          });
    }
    if (t.testClasses().length > 0) {
      model.evaluate(OdmShard.labelledBatch(t.testFeatures(), t.testClasses(), t.nIn()))
          .forEach((k, v) -> out.add(new TrainingRun.Evaluation(OdmTask.TEST, k, v)));
    }
    if (t.alphabetClasses().length > 0) {
      model.evaluate(OdmShard.labelledBatch(t.alphabetFeatures(), t.alphabetClasses(), t.nIn()))
          .forEach((k, v) -> out.add(new TrainingRun.Evaluation(OdmTask.ALPHABET, k, v)));
    }
    return out;
  }

  @Override
  public OdmData.Description describe(OdmData data) {
    return data.describe();
  }
}
