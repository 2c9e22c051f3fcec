package org.neurolake.lfads;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import org.neurolake.model.neural.SessionSplit;

/**
 * What an LFADS run's record keeps of its data, enough for the inference and evaluation jobs to
 * recompute the same split and windows: the session, its shape, the split settings, the held-out
 * neurons, the trial window (absent in records older than windows: the whole trial) and the trials
 * it left out, with their count. Its JSON names are those run.json has used since the first release.
 */
public record LfadsRunData(String session, @JsonProperty("n_neurons") int nNeurons, @JsonProperty("n_bins") int nBins,
    @JsonProperty("bin_ms") double binMs, @JsonProperty("data") SplitSettings split,
    @JsonProperty("held_out_neurons") int[] heldOutNeurons, @JsonProperty("window") TrialWindow window,
    @JsonProperty("trials_left_out") int trialsLeftOut,
    @JsonProperty("left_out") java.util.List<TrialWindows.LeftOut> leftOut) {
  public LfadsRunData {
    window = window == null ? TrialWindow.WHOLE : window;
    leftOut = leftOut == null ? java.util.List.of() : java.util.List.copyOf(leftOut);
  }

  /** {@link LfadsData} in run.json's form. */
  public record SplitSettings(@JsonProperty("valid_fraction") double validFraction,
      @JsonProperty("test_fraction") double testFraction, @JsonProperty("held_out_fraction") double heldOutFraction,
      @JsonProperty("split_seed") long splitSeed, @JsonProperty("split_by") String splitBy,
      @JsonProperty("forward_bins") Integer forwardBins) {
    /** Settings without bins held out in time. */
    public SplitSettings(double validFraction, double testFraction, double heldOutFraction, long splitSeed,
        String splitBy) {
      this(validFraction, testFraction, heldOutFraction, splitSeed, splitBy, 0);
    }

    /**
     * Runs recorded before splits by condition existed have no split_by: they split trials; runs
     * recorded before forward prediction have no forward_bins: none.
     */
    public LfadsData toData() {
      return new LfadsData(validFraction, testFraction, heldOutFraction, splitSeed,
          splitBy == null ? SessionSplit.Unit.TRIAL : SessionSplit.Unit.valueOf(splitBy.toUpperCase(Locale.ROOT)),
          forwardBins == null ? 0 : forwardBins);
    }
  }

  public static LfadsRunData of(LfadsSession s) {
    LfadsData d = s.data();
    return new LfadsRunData(s.session(), s.shape().nNeurons(), s.shape().nBins(), s.shape().binMs(),
        new SplitSettings(d.validFraction(), d.testFraction(), d.heldOutFraction(), d.splitSeed(),
            d.splitBy().name().toLowerCase(Locale.ROOT), d.forwardBins()), s.heldOut(), s.window(), s.leftOut().size(), s.leftOut());
  }
}
