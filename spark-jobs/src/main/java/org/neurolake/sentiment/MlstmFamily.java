package org.neurolake.sentiment;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.Inference;
import org.neurolake.family.InferencePart;
import org.neurolake.family.InferenceRequest;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.ModelRowFunction;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlstm.MlstmModel;
import org.neurolake.model.mlstm.MlstmSpec;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableDef;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * The sentiment neuron's byte-level mLSTM as a model family: trains on the train split of
 * {@code byte_sequences} of one or more sources ({@code --dataset imdb,amazon}; never sst2), each
 * shard holding the whole documents a stable hash of their doc id assigns it; evaluates held-out
 * bits per byte on a fixed sample of the sources' dev and test documents; infers each document's
 * final cell state (the paper's features) into {@code features}, one resumable partition per split.
 */
public final class MlstmFamily implements ModelFamily<MlstmSpec, MlstmFamily.Corpus> {
  public static final String NAME = SentimentModels.MLSTM;

  /** The run's data: the training sources, their sequences, and the held-out sample's settings. */
  public record Corpus(List<String> sources, Dataset<Row> sequences, MlstmData data) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "the sentiment neuron's byte mLSTM on byte_sequences (--dataset = sources, comma-separated; never sst2);"
        + " data.* held-out-documents, held-out-seed";
  }

  @Override
  public Class<MlstmSpec> specType() {
    return MlstmSpec.class;
  }

  /** The sources a dataset argument names: comma-separated, trimmed, each safe and trainable. */
  public static List<String> sources(String dataset) {
    List<String> sources = Arrays.stream(dataset.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("--sources names no source");
    }
    for (String s : sources) {
      PartitionKey.requireSafe(s);
      SentimentModels.requireTrainable(s);
    }
    return sources;
  }

  @Override
  public String datasetLabel(String dataset) {
    return String.join("+", sources(dataset));
  }

  @Override
  public List<DataRead> reads(Lake lake, String dataset) {
    return sources(dataset).stream().map(s -> new DataRead("byte_sequences", lake.partitionPath(
        LakeTables.BYTE_SEQUENCES, PartitionKey.of(LakeTables.BYTE_SEQUENCES, s)))).toList();
  }

  @Override
  public Corpus load(SparkSession spark, TrainRequest request) {
    List<String> sources = sources(request.dataset());
    MlstmData data = MlstmData.from(request.options());
    Dataset<Row> sequences = TableReader.read(spark, request.lake(), LakeTables.BYTE_SEQUENCES)
        .where(col(Columns.SOURCE).isin(sources.toArray()));
    return new Corpus(sources, sequences, data);
  }

  /** The paper's settings at H = 4096 seeded by the run, then the run's model.* options. */
  public static MlstmSpec spec(TrainerConfig tc, Map<String, String> modelOptions) {
    return ModelSpecOptions.apply(MlstmSpec.of(4096, tc.seed()), modelOptions);
  }

  @Override
  public MlstmSpec spec(Corpus corpus, TrainRequest request) {
    return spec(request.trainer(), request.options().model());
  }

  @Override
  public JavaRDD<ExampleShard> shards(Corpus corpus, MlstmSpec spec, TrainerConfig trainer) {
    return ByteSequenceShards.of(corpus.sequences().where(col(Columns.SPLIT).equalTo(Split.TRAIN.value())),
        trainer.tasksPerRound(), trainer.batchSize(), spec.tbpttLength());
  }

  @Override
  public TrainingRun.Evaluator evaluator(Corpus corpus, MlstmSpec spec) {
    List<byte[]> heldOut = HeldOutDocuments.collect(corpus.sequences(), corpus.data());
    System.out.printf("mlstm: held-out sample of %d documents (%d bytes) from %s%n", heldOut.size(),
        heldOut.stream().mapToLong(d -> d.length).sum(), corpus.sources());
    if (heldOut.isEmpty()) {
      System.out.printf("mlstm: sources %s have no dev or test documents: no held-out evaluation%n",
          corpus.sources());
      return TrainingRun.Evaluator.NONE;
    }
    return TrainingRun.Evaluator.on(spec.build(), model -> {
      List<TrainingRun.Evaluation> out = new ArrayList<>();
      model.evaluateDocuments(heldOut)
          .forEach((k, v) -> out.add(new TrainingRun.Evaluation(SentimentModels.HELD_OUT, k, v)));
      return out;
    });
  }

  @Override
  public MlstmRunData describe(Corpus corpus) {
    return new MlstmRunData(corpus.sources(),
        new MlstmRunData.HeldOut(corpus.data().heldOutDocuments(), corpus.data().heldOutSeed()));
  }

  @Override
  public Optional<Inference<MlstmSpec>> inference() {
    return Optional.of(new Features());
  }

  /**
   * Each document of a {@code documents} source ({@code --dataset}, required: the mLSTM trains on
   * reviews and is applied to benchmarks) to its final cell state, one partition of {@code features}
   * per split ({@code run_id/source/split}), each committed on its own and skipped when already
   * committed. Option {@code partitions}: Spark partitions the documents are spread over (default:
   * the session's default parallelism).
   */
  public static final class Features implements Inference<MlstmSpec> {
    static final Set<String> OPTIONS = Set.of("partitions");
    /** Documents handed to {@link MlstmModel#finalCellStates} at once (it groups 128 per pass itself). */
    private static final int GROUP = 512;

    @Override
    public TableDef output() {
      return LakeTables.DOCUMENT_FEATURES;
    }

    /** The features partition of one split. */
    public static PartitionKey partition(String runId, String source, Split split) {
      return PartitionKey.of(LakeTables.DOCUMENT_FEATURES, runId, source, split.value());
    }

    @Override
    public List<InferencePart> parts(SparkSession spark, InferenceRequest request, MlstmSpec spec) {
      if (request.dataset() == null) {
        throw new IllegalArgumentException("name the documents source to extract features of (--source)");
      }
      String source = PartitionKey.requireSafe(request.dataset());
      int partitions = Integer.parseInt(request.option(OPTIONS, "partitions", "0"));
      if (partitions < 0) {
        throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
      }
      int slices = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
      Dataset<Row> documents = TableReader.read(spark, request.lake(), LakeTables.DOCUMENTS)
          .where(col(Columns.SOURCE).equalTo(source));
      List<Split> splits = request.splits().isEmpty() ? List.of(Split.TRAIN, Split.DEV, Split.TEST) : request.splits();
      List<InferencePart> parts = new ArrayList<>();
      for (Split split : splits) {
        Dataset<Row> docs = documents.where(col(Columns.SPLIT).equalTo(split.value()))
            .select(Columns.DOC_ID, Columns.LABEL, Columns.TEXT_BYTES).repartition(slices);
        parts.add(new InferencePart(source + "/" + split.value(), partition(request.run().runId(), source, split),
            docs, true));
      }
      return parts;
    }

    @Override
    public ModelRowFunction<MlstmSpec> function(InferenceRequest request, MlstmSpec spec) {
      return (trained, parameters, it) -> {
        MlstmModel model = trained.build();
        model.setParameters(parameters);
        List<Row> in = new ArrayList<>();
        it.forEachRemaining(in::add);
        List<Row> out = new ArrayList<>(in.size());
        for (int from = 0; from < in.size(); from += GROUP) {
          List<Row> group = in.subList(from, Math.min(in.size(), from + GROUP));
          List<byte[]> texts = new ArrayList<>(group.size());
          group.forEach(r -> texts.add((byte[]) r.get(2)));
          float[][] cells = model.finalCellStates(texts);
          for (int i = 0; i < group.size(); i++) {
            Row r = group.get(i);
            out.add(RowFactory.create(r.getString(0), r.isNullAt(1) ? null : r.getInt(1), boxed(cells[i])));
          }
        }
        return out.iterator();
      };
    }

    private static Float[] boxed(float[] v) {
      Float[] out = new Float[v.length];
      for (int i = 0; i < v.length; i++) {
        out[i] = v[i];
      }
      return out;
    }
  }
}
