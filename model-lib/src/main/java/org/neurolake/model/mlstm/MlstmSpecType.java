package org.neurolake.model.mlstm;

import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecType;

/** Registers {@link MlstmSpec} with {@link org.neurolake.model.api.ModelSpecs} as kind {@value #KIND}. */
public final class MlstmSpecType implements ModelSpecType {
  /** The spec's kind in JSON; checkpoints written since the first release store it. */
  public static final String KIND = "MLSTM";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Class<? extends ModelSpec> specClass() {
    return MlstmSpec.class;
  }
}
