package org.neurolake.melc;

import java.io.Serializable;

/** One example as the distributed MELC objective reads it: features and the class label. */
public record LabeledVector(double[] features, int label) implements Serializable {}
