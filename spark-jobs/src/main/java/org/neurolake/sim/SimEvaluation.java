package org.neurolake.sim;

/** The family's evaluation of a simulated setting's parameters after {@code index} updates, at virtual time {@code virtualS}. */
public record SimEvaluation(String setting, long index, double virtualS, String split, String metric, double value) {}
