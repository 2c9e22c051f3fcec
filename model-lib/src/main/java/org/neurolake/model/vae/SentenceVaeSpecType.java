package org.neurolake.model.vae;

import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecType;

/** Registers {@link SentenceVaeSpec} with {@link org.neurolake.model.api.ModelSpecs} as kind {@value #KIND}. */
public final class SentenceVaeSpecType implements ModelSpecType {
  public static final String KIND = "sentence-vae";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Class<? extends ModelSpec> specClass() {
    return SentenceVaeSpec.class;
  }
}
