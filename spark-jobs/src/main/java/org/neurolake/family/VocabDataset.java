package org.neurolake.family;

import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * A family's {@code --dataset} of the form {@code corpus/vocab_id}: a corpus and one of its
 * vocabularies, as given (not trimmed).
 */
public record VocabDataset(String corpus, String vocabId) {
  /** Splits {@code dataset} at its one '/'; the error names {@code family}. */
  public static VocabDataset parse(String family, String dataset) {
    String[] parts = dataset.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--dataset for " + family + " is corpus/vocab_id (e.g. ptb/ptb-10k), got "
          + dataset);
    }
    return new VocabDataset(parts[0], parts[1]);
  }

  /** The vocabulary's partition of {@code vocab}, as {@code --dry-run} lists it. */
  public DataRead vocabRead(Lake lake) {
    return new DataRead("vocab", lake.partitionPath(LakeTables.VOCAB, PartitionKey.of(LakeTables.VOCAB, corpus, vocabId)));
  }
}
