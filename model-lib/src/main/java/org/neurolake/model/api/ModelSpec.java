package org.neurolake.model.api;

/**
 * A model's complete, immutable configuration: enough to build it anew anywhere (a worker, a
 * resumed run) and to store with its outputs as JSON ({@link ModelSpecs}).
 */
public interface ModelSpec extends java.io.Serializable {
  /** The model family, the key under which {@link ModelSpecs} knows how to read it back. */
  ModelKind kind();

  /** Builds a fresh model, parameters initialized from the spec's seed. */
  TrainableModel build();
}
