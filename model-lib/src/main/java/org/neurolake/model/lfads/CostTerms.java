package org.neurolake.model.lfads;

/**
 * One forward pass's cost, every term averaged over the batch's trials: {@code nll} is minus the
 * Poisson log-likelihood summed over bins and neurons of a trial (as the reference; in a training
 * pass with coordinated dropout, over the entries its {@link PassNoise#reconWeight} counts), the KL terms
 * are per trial, {@code l2} the weighted-norm penalty, and {@code total = nll + klWeight (klG0 +
 * klU) + l2Weight l2}.
 */
record CostTerms(double total, double nll, double klG0, double klU, double l2, double klWeight, double l2Weight) {
  double negElbo() {
    return nll + klG0 + klU;
  }
}
