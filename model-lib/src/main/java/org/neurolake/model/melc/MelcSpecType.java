package org.neurolake.model.melc;

import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecType;

/** Registers {@link MelcSpec} with {@link org.neurolake.model.api.ModelSpecs} as kind {@value #KIND}. */
public final class MelcSpecType implements ModelSpecType {
  public static final String KIND = "melc";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Class<? extends ModelSpec> specClass() {
    return MelcSpec.class;
  }
}
