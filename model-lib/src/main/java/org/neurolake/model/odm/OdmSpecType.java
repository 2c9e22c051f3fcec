package org.neurolake.model.odm;

import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecType;

/** Registers {@link OdmSpec} with {@link org.neurolake.model.api.ModelSpecs} as kind {@value #KIND}. */
public final class OdmSpecType implements ModelSpecType {
  public static final String KIND = "odm";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Class<? extends ModelSpec> specClass() {
    return OdmSpec.class;
  }
}
