package org.neurolake.model.lm;

import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecType;

/** Registers {@link LstmLmSpec} with {@link org.neurolake.model.api.ModelSpecs} as kind {@value #KIND}. */
public final class LstmLmSpecType implements ModelSpecType {
  public static final String KIND = "lstm-lm";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Class<? extends ModelSpec> specClass() {
    return LstmLmSpec.class;
  }
}
