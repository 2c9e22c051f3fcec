package org.neurolake.model.api;

import org.neurolake.model.lfads.LfadsSpec;
import org.neurolake.model.mlp.MlpSpec;
import org.neurolake.model.mlstm.MlstmSpec;

/** The model families, each with the spec class its JSON is read into. */
public enum ModelKind {
  MLP(MlpSpec.class),
  LFADS(LfadsSpec.class),
  MLSTM(MlstmSpec.class);

  public final Class<? extends ModelSpec> specClass;

  ModelKind(Class<? extends ModelSpec> specClass) {
    this.specClass = specClass;
  }
}
