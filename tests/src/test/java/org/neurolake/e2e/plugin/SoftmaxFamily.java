package org.neurolake.e2e.plugin;

import org.neurolake.classifier.ExamplesClassifierFamily;
import org.neurolake.classifier.ExamplesData;
import org.neurolake.family.TrainRequest;
import org.neurolake.train.ModelSpecOptions;

/** A model family that exists only in this test's class path, found through META-INF/services. */
public final class SoftmaxFamily extends ExamplesClassifierFamily<SoftmaxSpec> {
  @Override
  public String name() {
    return "toy-softmax";
  }

  @Override
  public String summary() {
    return "softmax regression on an examples dataset (a test plug-in)";
  }

  @Override
  public Class<SoftmaxSpec> specType() {
    return SoftmaxSpec.class;
  }

  @Override
  public SoftmaxSpec spec(ExamplesData data, TrainRequest request) {
    return ModelSpecOptions.apply(new SoftmaxSpec(data.dims(), data.nClasses(), request.trainer().learningRate().base(),
        0.9, request.trainer().seed()), request.options().model());
  }
}
