package org.neurolake.model.lfads;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which implementation computes LFADS (training steps, evaluation and inference; {@code
 * model.compute}): {@code fused-cpu} the hand-written pass over off-heap buffers and OpenBLAS ({@link LfadsGraph}, CPU only), {@code nd4j}
 * the same pass as ND4J operations ({@link Nd4jLfadsPass}, on the backend's device: a GPU under
 * CUDA), {@code auto} nd4j exactly when ND4J's backend is not the CPU one.
 */
public enum LfadsCompute {
  AUTO("auto"),
  FUSED_CPU("fused-cpu"),
  ND4J("nd4j");

  private final String option;

  LfadsCompute(String option) {
    this.option = option;
  }

  /** The option's spelling ({@code auto}, {@code fused-cpu}, {@code nd4j}), also its JSON form. */
  @JsonValue
  public String option() {
    return option;
  }

  /** Parses an option value; an unknown one fails naming the allowed values. */
  @JsonCreator
  public static LfadsCompute of(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (LfadsCompute c : values()) {
      if (c.option.equals(v)) {
        return c;
      }
    }
    throw new IllegalArgumentException("compute must be one of " + Arrays.stream(values()).map(LfadsCompute::option)
        .collect(Collectors.joining(", ")) + ": " + value);
  }

  /** {@link #FUSED_CPU} or {@link #ND4J}: auto resolved against the running ND4J backend. */
  public LfadsCompute resolve() {
    return resolve(Nd4j.getEnvironment().isCPU());
  }

  LfadsCompute resolve(boolean cpuBackend) {
    if (this != AUTO) {
      return this;
    }
    return cpuBackend ? FUSED_CPU : ND4J;
  }
}
