package org.neurolake.classifier;

import java.util.List;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.mlp.MlpSpec;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.TrainerConfig;

/**
 * The MLP classifier (DL4J) as a model family: trains on the train split of an {@code examples}
 * dataset, evaluates on its test split. {@code model.hidden} sets the hidden layers (default
 * 1024,768); the input and output widths follow from the data.
 */
public final class MlpFamily extends ExamplesClassifierFamily<MlpSpec> {
  public static final String NAME = "mlp";
  /** The hidden layers when {@code model.hidden} is not set. */
  public static final List<Integer> DEFAULT_HIDDEN = List.of(1024, 768);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "an MLP classifier on an examples dataset (--dataset); model.hidden=1024,768";
  }

  @Override
  public Class<MlpSpec> specType() {
    return MlpSpec.class;
  }

  @Override
  public MlpSpec spec(ExamplesData data, TrainRequest request) {
    for (String fixed : new String[] {"nIn", "nOut"}) {
      if (request.options().model().containsKey(fixed)) {
        throw new IllegalArgumentException("model." + fixed + " follows from the examples; it cannot be set");
      }
    }
    TrainerConfig tc = request.trainer();
    return ModelSpecOptions.apply(MlpSpec.of(data.dims(), DEFAULT_HIDDEN, data.nClasses(), tc.learningRate().base(),
        tc.seed()), request.options().model());
  }
}
