package org.neurolake.lm;

import java.io.Serializable;
import java.util.Set;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.train.RunOptions;

/**
 * How an LSTM-LM run reads its data, from {@code --dataset corpus/vocab_id} and the run's
 * {@code data.*} options.
 *
 * @param corpus the corpus of the token tables
 * @param vocabId the vocabulary the ids are of
 * @param trainSplit the split trained on ({@code data.train-split}, default train)
 * @param validSplit the split evaluated ({@code data.valid-split}, default valid); never the test split
 * @param evalRows rows read side by side by the evaluation ({@code data.eval-rows}, default 16; see
 *     {@link org.neurolake.model.lm.StreamPerplexity})
 */
public record LmData(String corpus, String vocabId, String trainSplit, String validSplit, int evalRows)
    implements Serializable {
  public static final Set<String> KEYS = Set.of("train-split", "valid-split", "eval-rows");

  public LmData {
    PartitionKey.requireSafe(corpus);
    PartitionKey.requireSafe(vocabId);
    PartitionKey.requireSafe(trainSplit);
    PartitionKey.requireSafe(validSplit);
    if (evalRows < 1) {
      throw new IllegalArgumentException("data.eval-rows must be >= 1, got " + evalRows);
    }
    if (trainSplit.equals(validSplit) || validSplit.equals("test")) {
      throw new IllegalArgumentException("data.valid-split must differ from the training split and not be test, got "
          + validSplit);
    }
  }

  static LmData from(String dataset, RunOptions options) {
    String[] parts = dataset.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--dataset for lstm-lm is corpus/vocab_id (e.g. ptb/ptb-10k), got " + dataset);
    }
    options.requireDataKeys(KEYS);
    try {
      return new LmData(parts[0].trim(), parts[1].trim(), options.data("train-split", "train"),
          options.data("valid-split", "valid"), Integer.parseInt(options.data("eval-rows", "16")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("data.eval-rows is not an integer: " + options.data(), e);
    }
  }
}
