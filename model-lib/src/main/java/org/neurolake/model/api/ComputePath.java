package org.neurolake.model.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a model with two implementations of its training step computes: its fused host-memory
 * kernels ({@link #FUSED_CPU}, the JDK's vector API on the executor's CPU) or ND4J operations only
 * ({@link #ND4J}, on whatever device ND4J's backend drives: the GPU under the {@code cuda}
 * profile). {@link #AUTO} picks {@link #ND4J} when ND4J's backend is not the CPU one, else
 * {@link #FUSED_CPU}. Written in JSON (and in {@code model.compute}) as {@code auto},
 * {@code fused-cpu}, {@code nd4j}.
 */
public enum ComputePath {
  AUTO("auto"),
  FUSED_CPU("fused-cpu"),
  ND4J("nd4j");

  /** The simple class name of ND4J's CPU backend (nd4j-native). */
  public static final String CPU_BACKEND = "CpuBackend";

  private final String id;

  ComputePath(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  /** The path named {@code id} ({@code auto}, {@code fused-cpu} or {@code nd4j}; case-insensitive). */
  @JsonCreator
  public static ComputePath of(String id) {
    for (ComputePath p : values()) {
      if (p.id.equals(id.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown compute path '" + id + "' (known: "
        + Arrays.stream(values()).map(ComputePath::id).collect(Collectors.joining(", ")) + ")");
  }

  /** {@link #AUTO} resolved against {@code backendName} (the simple class name of ND4J's backend); others as they are. */
  public ComputePath resolve(String backendName) {
    if (this != AUTO) {
      return this;
    }
    return backendName.equals(CPU_BACKEND) ? FUSED_CPU : ND4J;
  }

  /** {@link #AUTO} resolved against the backend ND4J runs on in this JVM. */
  public ComputePath resolve() {
    return resolve(Nd4j.getBackend().getClass().getSimpleName());
  }
}
