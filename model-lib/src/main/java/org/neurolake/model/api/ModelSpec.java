package org.neurolake.model.api;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A model's complete, immutable configuration: enough to build it anew anywhere (a worker, a
 * resumed run) and to store with its outputs as JSON ({@link ModelSpecs}).
 *
 * <p>A spec's JSON names its kind ({@code {"kind": "LFADS", ...}}); the kinds are not listed here
 * but registered by each model family through {@link ModelSpecType}, so this package depends on no
 * model.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = ModelSpecs.KIND)
public interface ModelSpec extends java.io.Serializable {
  /** Builds a fresh model, parameters initialized from the spec's seed. */
  TrainableModel build();

  /** The length of the parameter vector of the model this spec builds. */
  long parameterCount();
}
