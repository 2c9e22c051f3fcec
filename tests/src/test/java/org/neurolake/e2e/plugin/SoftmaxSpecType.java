package org.neurolake.e2e.plugin;

import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecType;

public final class SoftmaxSpecType implements ModelSpecType {
  @Override
  public String kind() {
    return "TOY_SOFTMAX";
  }

  @Override
  public Class<? extends ModelSpec> specClass() {
    return SoftmaxSpec.class;
  }
}
