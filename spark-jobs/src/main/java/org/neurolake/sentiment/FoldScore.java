package org.neurolake.sentiment;

/**
 * The probe on one outer fold (or on a held-out test set, fold 0): C chosen on the training part
 * alone ({@link PenaltySelector}), the probe fit on all of it with that C and scored on the test
 * part; the sentiment unit (that probe's largest |weight|, or the least penalized probe's when it
 * has none) with one threshold fit on the training part, scored on the test part (NaN when no probe
 * of the grid has a weight).
 *
 * @param selectionAccuracy the chosen C's score on the training part (inner cross-validation)
 */
public record FoldScore(int fold, int trainExamples, int testExamples, double c, double selectionAccuracy,
    double testAccuracy, int nonZeroWeights, int unit, double unitTestAccuracy) {}
