package org.neurolake.sentiment;

/**
 * One point of the data-efficiency curve: the probe fit on a stratified subset of {@code examples}
 * labeled training examples drawn with {@code seed} ({@link LabeledSubsets}), C chosen on dev.
 */
public record DataEfficiencyPoint(int examples, int seed, double c, double devAccuracy, double testAccuracy) {}
