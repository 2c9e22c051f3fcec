package org.neurolake.pipelines.spikes;

import java.io.Serializable;
import java.util.List;
import org.neurolake.pipelines.quarantine.QuarantineRecord;

/** What a reader got from one recording file: the trials it accepted and the ones it refused. */
public record RecordingRead(List<SpikeTrial> trials, List<QuarantineRecord> refused) implements Serializable {
  public RecordingRead {
    trials = List.copyOf(trials);
    refused = List.copyOf(refused);
  }
}
