package org.neurolake.sentiment;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import org.neurolake.train.RunOptions;

/**
 * How a train-mlstm run prepares its data, from the run's {@code data.*} options: the held-out
 * sample on which bits per byte are measured is at most {@code heldOutDocuments} documents of the
 * sources' dev and test splits, chosen by a seeded hash of their doc ids (the same documents at
 * every evaluation and in every rerun).
 *
 * @param heldOutDocuments documents in the held-out sample (the cap), >= 1
 * @param heldOutSeed seed of the hash that picks them
 */
public record MlstmData(int heldOutDocuments, long heldOutSeed) implements Serializable {
  public static final Set<String> KEYS = Set.of("held-out-documents", "held-out-seed");

  public MlstmData {
    if (heldOutDocuments < 1) {
      throw new IllegalArgumentException("data.held-out-documents must be >= 1, got " + heldOutDocuments);
    }
  }

  public static MlstmData from(RunOptions options) {
    options.requireDataKeys(KEYS);
    try {
      return new MlstmData(Integer.parseInt(options.data("held-out-documents", "500")),
          Long.parseLong(options.data("held-out-seed", "1")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a data.* option is not a number: " + options.data(), e);
    }
  }

  public Map<String, Object> describe() {
    return Map.of("held_out_documents", heldOutDocuments, "held_out_seed", heldOutSeed);
  }
}
