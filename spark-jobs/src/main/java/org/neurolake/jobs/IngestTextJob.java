package org.neurolake.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.text.CorpusPreset;
import org.neurolake.pipelines.text.HashSplitter;
import org.neurolake.pipelines.text.Preprocessing;
import org.neurolake.pipelines.text.TextCorpusIngestion;
import org.neurolake.pipelines.text.TextFormat;
import org.neurolake.pipelines.text.TextInput;
import org.neurolake.pipelines.text.TextSourceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest-text", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Ingests a text corpus (JSON lines, plain text or CSV; gzip or not) into the documents table,"
            + " partition source=<name>, with refused records in quarantine/table=documents/dataset=<name>.",
        "Example: ingest-text --source imdb --preset imdb --input $DATA_ROOT/imdb/aclImdb_train.jsonl.gz",
        "One file per class: ingest-text --source rt --preset plain --charset windows-1252"
            + " --input label=1,split=train:rt-polarity.pos --input label=0,split=train:rt-polarity.neg"})
public final class IngestTextJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--source", required = true, description = "Source name: the documents partition (e.g. imdb).")
  String source;

  @Option(names = "--input", required = true, paramLabel = "[SPLIT=]PATH|label=N[,split=S]:PATH",
      description = "File, directory or glob (any Hadoop URI); prefix with train=, dev= or test= to give all its"
          + " records that split, or with label=N[,split=S]: to give them label N (and split S). Repeatable.")
  List<String> inputs;

  @Option(names = "--charset", defaultValue = TextSourceSpec.DEFAULT_CHARSET,
      description = "Encoding of the inputs, e.g. UTF-8, ISO-8859-1, windows-1252 (default: ${DEFAULT-VALUE});"
          + " a record with bytes it cannot decode is quarantined with its file and line, never altered.")
  String charset;

  @Option(names = "--preset", description = "Field layout of a known corpus: ${COMPLETION-CANDIDATES}.")
  CorpusPreset preset;

  @Option(names = "--format", description = "${COMPLETION-CANDIDATES} (overrides the preset).")
  TextFormat format;

  @Option(names = "--text-field", description = "JSON field or CSV column holding the text.")
  String textField;

  @Option(names = "--rating-field", description = "Field holding a numeric rating (optional).")
  String ratingField;

  @Option(names = "--label-field", description = "Field holding an integer label (optional).")
  String labelField;

  @Option(names = "--split-field", description = "Field holding the split (train/dev/test) (optional).")
  String splitField;

  @Option(names = "--preprocessing", defaultValue = "SENTIMENT_NEURON",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Preprocessing preprocessing;

  @Option(names = "--hash-split", paramLabel = "TRAIN,DEV", defaultValue = "0.9,0.05",
      description = "Fractions for train and dev when records have no split; the rest is test (default: ${DEFAULT-VALUE}).")
  String hashSplit;

  /** The job's validated configuration. */
  public record Config(Lake lake, TextSourceSpec spec, BadRecordPolicy badRecords) {}

  public Config config() {
    TextSourceSpec.Builder b = TextSourceSpec.builder().source(source);
    if (preset != null) {
      b.preset(preset);
    }
    if (format != null) {
      b.format(format);
    }
    if (textField != null) {
      b.textField(textField);
    }
    if (ratingField != null) {
      b.ratingField(ratingField);
    }
    if (labelField != null) {
      b.labelField(labelField);
    }
    if (splitField != null) {
      b.splitField(splitField);
    }
    String[] f = hashSplit.split(",");
    if (f.length != 2) {
      throw new IllegalArgumentException("--hash-split takes TRAIN,DEV fractions, got " + hashSplit);
    }
    b.hashSplitter(new HashSplitter(Double.parseDouble(f[0]), Double.parseDouble(f[1])));
    b.preprocessing(preprocessing);
    b.charset(charset);
    inputs.forEach(i -> b.input(TextInput.parse(i)));
    return new Config(common.lake(), b.build(), common.badRecordPolicy());
  }

  public static TextCorpusIngestion.Result run(SparkSession spark, Config cfg) {
    return TextCorpusIngestion.run(spark, cfg.lake(), cfg.spec(), cfg.badRecords());
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("ingest-text").lake(cfg.lake()).catalog(catalog);
      List<String> files = TextCorpusIngestion.files(d.hadoopConf(), cfg.spec());
      return d.note("reads " + files.size() + " file(s): " + files)
          .writes("documents", cfg.lake().partitionPath(LakeTables.DOCUMENTS,
              PartitionKey.of(LakeTables.DOCUMENTS, cfg.spec().source())))
          .print();
    }
    SparkSession spark = JobRunner.session("ingest-text " + cfg.spec().source(), catalog);
    TextCorpusIngestion.Result r = run(spark, cfg);
    System.out.printf("ingest-text %s: read %d records, wrote %d documents to %s, quarantined %d (%s)%n",
        cfg.spec().source(), r.read(), r.kept(), r.documents(), r.quarantined(), r.quarantine());
    catalog.registerWritten(spark, LakeTables.DOCUMENTS, LakeTables.QUARANTINE);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new IngestTextJob(), args);
  }
}
