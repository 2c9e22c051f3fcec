package org.neurolake.lfads;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.Inference;
import org.neurolake.family.InferencePart;
import org.neurolake.family.InferenceRequest;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.ModelRowFunction;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.lfads.LfadsModel;
import org.neurolake.model.lfads.LfadsOutput;
import org.neurolake.model.lfads.LfadsSpec;
import org.neurolake.model.lfads.SpikeShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableDef;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * LFADS as a model family: trains on one {@code spike_trials} session (trials are the examples,
 * {@code --dataset} is the session), evaluates on its validation trials, and infers posterior-mean
 * rates, factors and inferred inputs of every trial into {@code lfads_outputs}.
 */
public final class LfadsFamily implements ModelFamily<LfadsSpec, LfadsSession> {
  public static final String NAME = LfadsModels.MODEL;

  /**
   * Below this many training trials a run without {@code --search} is a population-based search of
   * {@link #SEARCH_SPACE}: ex1 (139 training trials) is one such recording, the 1000-trial synthetic
   * sets are not.
   */
  public static final long PBT_BELOW_TRIALS = 200;

  /** The search space of LFADS's default search, relative to the project's home. */
  public static final String SEARCH_SPACE = "conf/search/lfads-pbt.properties";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "LFADS on a spike_trials session (--dataset = the session); data.* valid-fraction, test-fraction,"
        + " held-out-fraction, split-seed, split-by, forward-bins, align, window-ms";
  }

  @Override
  public Class<LfadsSpec> specType() {
    return LfadsSpec.class;
  }

  @Override
  public List<DataRead> reads(Lake lake, String session) {
    return List.of(new DataRead("spike_trials", lake.partitionPath(LakeTables.SPIKE_TRIALS,
        PartitionKey.of(LakeTables.SPIKE_TRIALS, session))));
  }

  @Override
  public LfadsSession load(SparkSession spark, TrainRequest request) {
    PartitionKey.requireSafe(request.dataset());
    return LfadsSession.load(spark, request.lake(), request.dataset(), LfadsData.from(request.options()),
        TrialWindow.from(request.options()));
  }

  @Override
  public LfadsSpec spec(LfadsSession session, TrainRequest request) {
    return LfadsModels.spec(session, request.trainer(), request.options().model());
  }

  @Override
  public JavaRDD<ExampleShard> shards(LfadsSession s, LfadsSpec spec, TrainerConfig trainer) {
    int observed = s.observedBins();
    // Training sees only the observed bins: the cost of the bins held out in time is never computed.
    return SpikeShards.of(s.split(Split.TRAIN), trainer.tasksPerRound(), s.shape(), s.heldIn(), s.heldOut())
        .map(shard -> ((SpikeShard) shard).firstBins(observed));
  }

  @Override
  public TrainingRun.Evaluator evaluator(LfadsSession s, LfadsSpec spec) {
    LfadsSession.Collected valid = s.collect(Split.DEV);
    if (valid.size() == 0) {
      return TrainingRun.Evaluator.NONE;
    }
    Batch batch = SpikeShard.fromNeuronMajor(valid.counts(), s.shape().nNeurons(), s.shape().nBins(), s.heldIn(),
        s.heldOut()).firstBins(s.observedBins()).batch(0, valid.size());
    return TrainingRun.Evaluator.on(spec.build(), model -> {
      List<TrainingRun.Evaluation> out = new ArrayList<>();
      model.evaluate(batch).forEach((k, v) -> out.add(new TrainingRun.Evaluation("valid", k, v)));
      return out;
    });
  }

  @Override
  public LfadsRunData describe(LfadsSession s) {
    return LfadsRunData.of(s);
  }

  @Override
  public Optional<org.neurolake.pbt.DefaultSearch> defaultSearch() {
    return Optional.of(new org.neurolake.pbt.DefaultSearch(PBT_BELOW_TRIALS, SEARCH_SPACE));
  }

  @Override
  public Optional<Inference<LfadsSpec>> inference() {
    return Optional.of(new Rates());
  }

  /**
   * Every trial of the session through the trained model: rates, factors and inputs averaged over
   * posterior samples, to {@code lfads_outputs} partition {@code run_id/session}; with bins held out
   * in time ({@code data.forward-bins}) the model reads only the observed bins and its generator
   * runs on through the forward ones, so the rows cover the whole window. Options:
   * {@code samples} (20), {@code batch-size} (64), {@code seed} (1).
   */
  static final class Rates implements Inference<LfadsSpec> {
    static final Set<String> OPTIONS = Set.of("samples", "batch-size", "seed");

    @Override
    public TableDef output() {
      return LakeTables.LFADS_OUTPUTS;
    }

    @Override
    public List<InferencePart> parts(SparkSession spark, InferenceRequest request, LfadsSpec spec) {
      String session = request.datasetOrTrained();
      LfadsSession s = session(spark, request, spec);
      return List.of(new InferencePart(session, PartitionKey.of(LakeTables.LFADS_OUTPUTS, request.run().runId(),
          session), s.trials().select(Columns.TRIAL, Columns.COUNTS, Columns.CONDITION), false));
    }

    private static LfadsSession session(SparkSession spark, InferenceRequest request, LfadsSpec spec) {
      String session = request.datasetOrTrained();
      PartitionKey.requireSafe(session);
      LfadsRunData run = request.run().data(LfadsRunData.class);
      // The windows the run trained on: rates are written for the same cut of every trial.
      LfadsSession s = LfadsSession.load(spark, request.lake(), session, run.split().toData(), run.window());
      LfadsModels.requireFits(spec, s);
      return s;
    }

    @Override
    public ModelRowFunction<LfadsSpec> function(InferenceRequest request, LfadsSpec spec) {
      int samples = Integer.parseInt(request.option(OPTIONS, "samples", "20"));
      int batch = Integer.parseInt(request.option(OPTIONS, "batch-size", "64"));
      long seed = Long.parseLong(request.option(OPTIONS, "seed", "1"));
      if (samples < 1 || batch < 1) {
        throw new IllegalArgumentException("samples and batch-size must be >= 1");
      }
      LfadsRunData run = request.run().data(LfadsRunData.class);
      LfadsData data = run.split().toData();
      SpikeShards.Shape shape = new SpikeShards.Shape(run.nNeurons(), run.nBins(), run.binMs());
      int[] heldIn = data.heldInNeurons(shape.nNeurons());
      int[] heldOut = data.heldOutNeurons(shape.nNeurons());
      int observed = data.observedBins(shape.nBins());
      int forward = shape.nBins() - observed;
      return (trained, parameters, it) -> {
        LfadsModel model = trained.build();
        model.setParameters(parameters);
        List<Row> out = new ArrayList<>();
        List<Integer> trials = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        while (it.hasNext() || !trials.isEmpty()) {
          if (it.hasNext() && trials.size() < batch) {
            Row r = it.next();
            trials.add(r.getInt(0));
            conditions.add(r.getString(2));
            counts.add(SpikeShards.counts(r.getInt(0), r.getList(1), shape));
            continue;
          }
          SpikeShard chunk = SpikeShard.fromNeuronMajor(counts, shape.nNeurons(), shape.nBins(), heldIn, heldOut);
          LfadsOutput o = model.infer(chunk.firstBins(observed).batch(0, trials.size()), samples,
              seed ^ (trials.get(0) * 0x9E3779B97F4A7C15L), forward);
          for (int i = 0; i < trials.size(); i++) {
            out.add(LfadsModels.outputRow(trials.get(i), data.split(trials.get(i), conditions.get(i)).value(), o, i, shape, heldIn,
                heldOut));
          }
          trials.clear();
          conditions.clear();
          counts.clear();
        }
        return out.iterator();
      };
    }
  }
}
