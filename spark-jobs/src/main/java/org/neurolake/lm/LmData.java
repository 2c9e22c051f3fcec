package org.neurolake.lm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.Serializable;
import java.util.Set;
import org.neurolake.family.VocabDataset;
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
 */
@JsonIgnoreProperties(ignoreUnknown = true) // runs recorded before evaluate-lm also hold eval_rows
public record LmData(String corpus, String vocabId, String trainSplit, String validSplit) implements Serializable {
  public static final Set<String> KEYS = Set.of("train-split", "valid-split");

  public LmData {
    PartitionKey.requireSafe(corpus);
    PartitionKey.requireSafe(vocabId);
    PartitionKey.requireSafe(trainSplit);
    PartitionKey.requireSafe(validSplit);
    if (trainSplit.equals(validSplit) || validSplit.equals("test")) {
      throw new IllegalArgumentException("data.valid-split must differ from the training split and not be test, got "
          + validSplit);
    }
  }

  static LmData from(String dataset, RunOptions options) {
    VocabDataset d = VocabDataset.parse(LstmLmFamily.NAME, dataset);
    options.requireDataKeys(KEYS);
    return new LmData(d.corpus().trim(), d.vocabId().trim(), options.data("train-split", "train"),
        options.data("valid-split", "valid"));
  }
}
