package org.neurolake.model.api;

/**
 * Registers a model family's spec type, found with {@link java.util.ServiceLoader}: a family lists
 * its implementation in {@code META-INF/services/org.neurolake.model.api.ModelSpecType}, and
 * {@link ModelSpecs} can then read and write its specs. Implementations need a public no-argument
 * constructor.
 */
public interface ModelSpecType {
  /** The spec's {@code "kind"} in JSON; unique among the registered types and stable (checkpoints store it). */
  String kind();

  /** The spec's class, read and written by Jackson (a record with its validating constructor). */
  Class<? extends ModelSpec> specClass();
}
