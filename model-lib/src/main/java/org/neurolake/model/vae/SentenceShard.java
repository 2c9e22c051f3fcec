package org.neurolake.model.vae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;

/**
 * A worker's sentences (token ids, {@code <eos>} last) for the sentence VAE, one example per
 * sentence. The order is fixed at packing: shuffled by the seed, then sorted by length within
 * blocks of {@value #BUCKET_BATCHES} batches and the batch-sized runs of each block shuffled, so a
 * batch holds sentences of similar length (little padding) while the batches' order stays random.
 * A batch pads its sentences to its longest.
 */
public final class SentenceShard implements ExampleShard {
  private static final long serialVersionUID = 1L;
  static final int BUCKET_BATCHES = 50;

  private final int[][] sentences;

  private SentenceShard(int[][] sentences) {
    this.sentences = sentences;
  }

  /** The sentences in the order {@link #batch} reads them (no bucketing). */
  public static SentenceShard ordered(List<int[]> sentences) {
    return new SentenceShard(check(sentences).toArray(new int[0][]));
  }

  /** The sentences shuffled by {@code seed} and bucketed by length for batches of {@code batchSize}. */
  public static SentenceShard bucketed(List<int[]> sentences, int batchSize, long seed) {
    List<int[]> all = new ArrayList<>(check(sentences));
    Random random = new Random(seed);
    Collections.shuffle(all, random);
    int block = Math.max(1, batchSize) * BUCKET_BATCHES;
    List<List<int[]>> runs = new ArrayList<>();
    for (int from = 0; from < all.size(); from += block) {
      List<int[]> b = new ArrayList<>(all.subList(from, Math.min(all.size(), from + block)));
      b.sort(Comparator.comparingInt(s -> s.length));
      for (int r = 0; r < b.size(); r += batchSize) {
        runs.add(b.subList(r, Math.min(b.size(), r + batchSize)));
      }
    }
    Collections.shuffle(runs, random);
    List<int[]> out = new ArrayList<>(all.size());
    runs.forEach(out::addAll);
    return new SentenceShard(out.toArray(new int[0][]));
  }

  private static List<int[]> check(List<int[]> sentences) {
    for (int i = 0; i < sentences.size(); i++) {
      if (sentences.get(i).length == 0) {
        throw new IllegalArgumentException("sentence " + i + " of the shard is empty (it needs at least <eos>)");
      }
    }
    return sentences;
  }

  @Override
  public int size() {
    return sentences.length;
  }

  public int[] sentence(int i) {
    return sentences[i].clone();
  }

  @Override
  public Batch batch(int from, int n) {
    int[][] rows = new int[n][];
    for (int k = 0; k < n; k++) {
      rows[k] = sentences[Math.floorMod(from + k, sentences.length)];
    }
    return batchOf(rows);
  }

  /** Sentences as a padded batch: features = labels = ids [n, T], featuresMask [n, T]. */
  public static Batch batchOf(int[][] rows) {
    int steps = Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(1);
    float[][] ids = new float[rows.length][steps];
    float[][] mask = new float[rows.length][steps];
    for (int b = 0; b < rows.length; b++) {
      for (int t = 0; t < rows[b].length; t++) {
        ids[b][t] = rows[b][t];
        mask[b][t] = 1;
      }
    }
    var f = Nd4j.createFromArray(ids);
    return new Batch(f, f, Nd4j.createFromArray(mask), null);
  }
}
