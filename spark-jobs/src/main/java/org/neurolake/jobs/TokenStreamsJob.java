package org.neurolake.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.lm.TokenStreams;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "token-streams", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Turns a corpus's sentences into word ids in sentence order, cut into contiguous streams of"
        + " fixed-length chunks for language-model training -> token_streams (stream_id, chunk, ids).",
        "Example: token-streams --corpus ptb --vocab-id ptb-10k --splits train,valid,test --streams 20"
            + " --eval-streams 1 --chunk-length 35"})
public final class TokenStreamsJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--corpus", required = true, description = "The sentences corpus.")
  String corpus;

  @Option(names = "--vocab-id", required = true, description = "The vocabulary (build-vocab) mapping words to ids.")
  String vocabId;

  @Option(names = "--splits", split = ",", defaultValue = "train,valid,test",
      description = "Splits to cut (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--train-split", defaultValue = "train",
      description = "The split cut into --streams streams (default: ${DEFAULT-VALUE}); the others get --eval-streams.")
  String trainSplit;

  @Option(names = "--streams", defaultValue = "64", description = "Streams of the training split (default: ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--eval-streams", defaultValue = "1",
      description = "Streams of every other split (default: ${DEFAULT-VALUE}: one, in order).")
  int evalStreams;

  @Option(names = "--chunk-length", defaultValue = "35", description = "Tokens per chunk (default: ${DEFAULT-VALUE}).")
  int chunkLength;

  public record Config(Lake lake, List<TokenStreams.Config> splits) {
    public Config {
      splits = List.copyOf(splits);
    }
  }

  public Config config() {
    return new Config(common.lake(), splits.stream().map(s -> new TokenStreams.Config(corpus, vocabId, s,
        s.equals(trainSplit) ? streams : evalStreams, chunkLength)).toList());
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("token-streams").lake(cfg.lake()).catalog(catalog)
          .reads("vocab", cfg.lake().partitionPath(LakeTables.VOCAB, PartitionKey.of(LakeTables.VOCAB, corpus, vocabId)));
      for (TokenStreams.Config s : cfg.splits()) {
        d.reads("sentences", cfg.lake().partitionPath(LakeTables.SENTENCES,
                PartitionKey.of(LakeTables.SENTENCES, corpus, s.split())))
            .writes(s.streams() + " streams", cfg.lake().partitionPath(LakeTables.TOKEN_STREAMS,
                PartitionKey.of(LakeTables.TOKEN_STREAMS, corpus, vocabId, s.split())));
      }
      return d.print();
    }
    SparkSession spark = JobRunner.session("token-streams " + corpus, catalog);
    for (TokenStreams.Config s : cfg.splits()) {
      TokenStreams.Result r = TokenStreams.run(spark, cfg.lake(), s);
      System.out.printf("token-streams %s/%s/%s: %d tokens in %d streams, %d chunks of <= %d in %s%n", corpus, vocabId,
          r.split(), r.tokens(), r.streams(), r.chunks(), chunkLength, r.path());
    }
    catalog.registerWritten(spark, LakeTables.TOKEN_STREAMS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new TokenStreamsJob(), args);
  }
}
