package org.neurolake.family;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.RunRecord;

/**
 * What an inference asks: the trained run (its record), the dataset to apply it to (null: the one
 * it trained on, where that is one), the splits (empty: the family's default), the family's own
 * options ({@code --set key=value}) and whether committed parts are recomputed.
 */
public record InferenceRequest(Lake lake, RunRecord run, String dataset, List<Split> splits,
    Map<String, String> options, boolean overwrite) {
  public InferenceRequest {
    Objects.requireNonNull(lake, "lake");
    Objects.requireNonNull(run, "run");
    splits = List.copyOf(splits);
    options = Map.copyOf(options);
  }

  /** An option, or {@code fallback}; fails on keys outside {@code known} first (a typo must not pass silently). */
  public String option(Set<String> known, String key, String fallback) {
    for (String k : options.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown inference option '" + k + "' for family " + run.family()
            + " (known: " + new TreeSet<>(known) + ")");
      }
    }
    return options.getOrDefault(key, fallback);
  }

  /** {@link #dataset}, else the run's own dataset. */
  public String datasetOrTrained() {
    return dataset != null ? dataset : run.dataset();
  }
}
