package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sparse examples (the text baselines' hashed counts) fit and scored in-process as their dense equivalent. */
class SparseFeaturesTest {
  static final List<Double> GRID = List.of(Math.scalb(1.0, -4), 0.25, 1.0);

  /** {@code dense}'s examples with exact zeros dropped, as sparse rows. */
  static SparseFeatures sparse(LabeledFeatures dense) {
    int n = dense.size();
    int[][] ix = new int[n][];
    double[][] v = new double[n][];
    float[][] x = dense.vectors();
    for (int i = 0; i < n; i++) {
      List<Integer> idx = new ArrayList<>();
      List<Double> val = new ArrayList<>();
      for (int j = 0; j < x[i].length; j++) {
        if (x[i][j] != 0) {
          idx.add(j);
          val.add((double) x[i][j]);
        }
      }
      ix[i] = idx.stream().mapToInt(Integer::intValue).toArray();
      v[i] = val.stream().mapToDouble(Double::doubleValue).toArray();
    }
    return new SparseFeatures(dense.features(), ix, v, dense.labels());
  }

  /** Generated features with about half the values set to exactly zero (sparse like counts). */
  static LabeledFeatures halfZero(int n, long seed) {
    LabeledFeatures f = SentimentProbeTest.features(n, 1, 2, 0.7, false, seed);
    float[][] x = f.vectors();
    for (int i = 0; i < n; i++) {
      x[i] = x[i].clone();
      for (int j = 0; j < x[i].length; j++) {
        if ((i + j) % 2 == 0 && j != SentimentProbeTest.CARRIER) {
          x[i][j] = 0;
        }
      }
    }
    return new LabeledFeatures(x, f.labels());
  }

  @Test
  void liblinearFitsAndScoresSparseExamplesAsTheirDenseEquivalent() {
    LabeledFeatures dense = halfZero(90, 31);
    SparseFeatures sparse = sparse(dense);
    assertEquals(dense.size() * (long) dense.features() / 2, sparse.storedValues(), dense.size(), "about half stored");
    ProbeSolver solver = new LiblinearProbes(1);
    List<LinearProbe> a = solver.fit(dense, GRID);
    List<LinearProbe> b = solver.fit(sparse, GRID);
    for (int c = 0; c < GRID.size(); c++) {
      assertArrayEquals(a.get(c).weights(), b.get(c).weights(), 0, "C=" + GRID.get(c));
      assertEquals(a.get(c).intercept(), b.get(c).intercept(), 0);
      assertEquals(dense.accuracy(a.get(c)), sparse.accuracy(b.get(c)), 0);
    }
    int[] some = {5, 1, 40};
    SparseFeatures sub = sparse.subset(some);
    assertArrayEquals(new int[] {dense.labels()[5], dense.labels()[1], dense.labels()[40]}, sub.labels());
    assertEquals(dense.subset(some).accuracy(a.get(2)), sub.accuracy(a.get(2)), 0);
  }

  @Test
  void rejectsUnorderedOrOutOfRangeIndices() {
    assertThrows(IllegalArgumentException.class, () -> new SparseFeatures(4, new int[][] {{2, 1}},
        new double[][] {{1, 1}}, new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new SparseFeatures(4, new int[][] {{4}},
        new double[][] {{1}}, new int[] {0}));
  }
}
