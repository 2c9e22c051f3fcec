package org.neurolake.model.dl4j;

import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecType;

/** Registers {@link Dl4jNetworkSpec} with {@link org.neurolake.model.api.ModelSpecs} as kind {@value #KIND}. */
public final class Dl4jNetworkSpecType implements ModelSpecType {
  /** The spec's kind in JSON; checkpoints store it. */
  public static final String KIND = "DL4J_NETWORK";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Class<? extends ModelSpec> specClass() {
    return Dl4jNetworkSpec.class;
  }
}
