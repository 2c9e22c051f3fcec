package org.neurolake.vae;

import java.io.Serializable;
import java.util.Set;
import org.neurolake.family.VocabDataset;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.train.RunOptions;

/**
 * How a sentence-VAE run reads its data, from {@code --dataset corpus/vocab_id} and the run's
 * {@code data.*} options: the corpus's {@code sentences} table, mapped to ids by the vocabulary
 * (words outside it to {@code <unk>}).
 *
 * @param corpus the corpus of the sentences table
 * @param vocabId the vocabulary of the ids
 * @param trainSplit the split trained on ({@code data.train-split}, default train)
 * @param validSplit the split of the periodic evaluation ({@code data.valid-split}, default valid); never test
 * @param evalSentences at most this many sentences of the valid split in the periodic evaluation
 *     ({@code data.eval-sentences}, default 0 = all)
 */
public record VaeData(String corpus, String vocabId, String trainSplit, String validSplit, int evalSentences)
    implements Serializable {
  public static final Set<String> KEYS = Set.of("train-split", "valid-split", "eval-sentences");

  public VaeData {
    PartitionKey.requireSafe(corpus);
    PartitionKey.requireSafe(vocabId);
    PartitionKey.requireSafe(trainSplit);
    PartitionKey.requireSafe(validSplit);
    if (evalSentences < 0) {
      throw new IllegalArgumentException("data.eval-sentences must be >= 0 (0 = all), got " + evalSentences);
    }
    if (trainSplit.equals(validSplit) || validSplit.equals("test")) {
      throw new IllegalArgumentException("data.valid-split must differ from the training split and not be test, got "
          + validSplit);
    }
  }

  static VaeData from(String dataset, RunOptions options) {
    VocabDataset d = VocabDataset.parse(SentenceVaeFamily.NAME, dataset);
    options.requireDataKeys(KEYS);
    try {
      return new VaeData(d.corpus().trim(), d.vocabId().trim(), options.data("train-split", "train"),
          options.data("valid-split", "valid"), Integer.parseInt(options.data("eval-sentences", "0")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("data.eval-sentences is not an integer: " + options.data(), e);
    }
  }
}
