package org.neurolake.lfads;

import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.neurolake.model.lfads.LfadsOutput;
import org.neurolake.model.lfads.LfadsSpec;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.TrainerConfig;

/**
 * Glue between a session and the LFADS model: the spec a run trains (sized by the session, then
 * the run's {@code model.*} options), the data split a run recorded, and the lfads_outputs rows.
 *
 * <p>The model orders its likelihood's neurons held-in first, then held-out; the tables keep the
 * recording's neuron order. {@link #outputRow} maps back.
 */
public final class LfadsModels {
  /** The evaluations partition of LFADS runs. */
  public static final String MODEL = "lfads";

  private LfadsModels() {}

  /**
   * The session-sized defaults (encoder input = held-in neurons, likelihood = all neurons; the
   * run's seed and learning rate) with the run's {@code model.*} options applied.
   */
  public static LfadsSpec spec(LfadsSession s, TrainerConfig tc, Map<String, String> modelOptions) {
    for (String fixed : new String[] {"nIn", "nOut"}) {
      if (modelOptions.containsKey(fixed)) {
        throw new IllegalArgumentException("model." + fixed + " follows from the session and data.held-out-fraction;"
            + " it cannot be set");
      }
    }
    LfadsSpec defaults = LfadsSpec.builder(s.heldIn().length, s.shape().nNeurons()).seed(tc.seed())
        .learningRate(tc.learningRate().base()).build();
    return ModelSpecOptions.apply(defaults, modelOptions);
  }

  /** Fails unless the model's neurons match the session's split. */
  public static void requireFits(LfadsSpec spec, LfadsSession s) {
    if (spec.nIn() != s.heldIn().length || spec.nOut() != s.shape().nNeurons()) {
      throw new IllegalArgumentException("the model reads " + spec.nIn() + " of " + spec.nOut()
          + " neurons but session " + s.session() + " has " + s.heldIn().length + " held-in of "
          + s.shape().nNeurons());
    }
  }

  /**
   * Model neuron j (held-in first, then held-out) → recording neuron. The inverse order of
   * {@code SpikeShard.fromNeuronMajor}.
   */
  public static int[] recordingOrder(int[] heldIn, int[] heldOut) {
    int[] order = new int[heldIn.length + heldOut.length];
    System.arraycopy(heldIn, 0, order, 0, heldIn.length);
    System.arraycopy(heldOut, 0, order, heldIn.length, heldOut.length);
    return order;
  }

  /** Trial {@code i} of an inference batch as an lfads_outputs row (rates in Hz, recording order). */
  public static Row outputRow(int trial, String split, LfadsOutput o, int i, SpikeShards.Shape shape, int[] heldIn,
      int[] heldOut) {
    int[] order = recordingOrder(heldIn, heldOut);
    int nBins = shape.nBins();
    double perSecond = 1000.0 / shape.binMs();
    Double[] rates = new Double[shape.nNeurons() * nBins];
    for (int j = 0; j < order.length; j++) {
      for (int t = 0; t < nBins; t++) {
        rates[order[j] * nBins + t] = o.rates()[i][t][j] * perSecond;
      }
    }
    return RowFactory.create(trial, split, shape.nNeurons(), nBins, shape.binMs(), rates,
        dims(o.factors()[i]), neuronMajor(o.factors()[i]), dims(o.inputs()[i]), neuronMajor(o.inputs()[i]));
  }

  private static int dims(float[][] timeMajor) {
    return timeMajor.length == 0 ? 0 : timeMajor[0].length;
  }

  private static Double[] neuronMajor(float[][] timeMajor) {
    int bins = timeMajor.length;
    int d = dims(timeMajor);
    Double[] out = new Double[d * bins];
    for (int t = 0; t < bins; t++) {
      for (int k = 0; k < d; k++) {
        out[k * bins + t] = (double) timeMajor[t][k];
      }
    }
    return out;
  }
}
