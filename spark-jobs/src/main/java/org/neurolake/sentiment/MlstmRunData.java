package org.neurolake.sentiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What an mLSTM run's record keeps of its data: the training sources and the held-out sample's settings. */
public record MlstmRunData(List<String> sources, @JsonProperty("data") HeldOut heldOut) {
  public MlstmRunData {
    sources = List.copyOf(sources);
  }

  /** {@link MlstmData} in run.json's form. */
  public record HeldOut(@JsonProperty("held_out_documents") int documents, @JsonProperty("held_out_seed") long seed) {}
}
