package org.neurolake.jobs;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.spikes.MatSpikeReader;
import org.neurolake.pipelines.spikes.NwbSpikeReader;
import org.neurolake.pipelines.spikes.RecordingIngestion;
import org.neurolake.pipelines.spikes.RecordingLimits;
import org.neurolake.pipelines.spikes.RecordingReader;
import org.neurolake.pipelines.spikes.SpikeBinning;
import org.neurolake.pipelines.spikes.SpikeEventIngestion;
import org.neurolake.pipelines.spikes.TrialColumns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest-spikes", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Ingests a neural recording into spike_trials (partition session=<name>), binned at --bin-ms;"
            + " counts are n_neurons x n_bins, neuron-major.",
        "Formats: EVENTS_CSV (trial,neuron,t_ms,count + a trial table), MAT (struct array of neurons x time"
            + " matrices, e.g. DataHigh's D(i).data), NWB (units spike_times/spike_times_index + trials intervals).",
        "Trial tables are read by column name; every column not used (event times, ids, ...) is kept per trial in"
            + " spike_trials.trial_info (MAT: the struct's other string or scalar fields; NWB: the trials table's"
            + " other columns, and for each x_time column x_ms, the event in ms from the trial start)."})
public final class IngestSpikesJob implements Callable<Integer> {
  /** Recording formats. */
  public enum Format { EVENTS_CSV, MAT, NWB }

  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--format", required = true, description = "${COMPLETION-CANDIDATES}")
  Format format;

  @Option(names = "--session", required = true, description = "Session name: the spike_trials partition.")
  String session;

  @Option(names = "--input", required = true, description = "The events CSV (EVENTS_CSV) or the recording file (MAT, NWB).")
  String input;

  @Option(names = "--trials", description = "The trial table (EVENTS_CSV only).")
  String trials;

  @Option(names = "--bin-ms", defaultValue = "10", description = "Bin width in ms (default: ${DEFAULT-VALUE}).")
  double binMs;

  @Option(names = "--mat-struct", defaultValue = "D", description = "MAT: struct array variable (default: ${DEFAULT-VALUE}).")
  String matStruct;

  @Option(names = "--mat-data-field", defaultValue = "data", description = "MAT: neurons x time field (default: ${DEFAULT-VALUE}).")
  String matDataField;

  @Option(names = {"--condition-field", "--condition-column"}, description = "MAT: condition field (default: condition);"
      + " NWB: trials column (default: none); EVENTS_CSV: trial table column (default: condition, optional unless"
      + " given).")
  String conditionField;

  @Option(names = "--trial-column", description = "EVENTS_CSV: trial table column of the trial ids (default: trial);"
      + " NWB: trials column of the ids (default: id, else the row).")
  String trialColumn;

  @Option(names = "--neurons-column", description = "EVENTS_CSV: trial table column of the neuron count (default: "
      + TrialColumns.NEURONS + ").")
  String neuronsColumn;

  @Option(names = "--duration-column", description = "EVENTS_CSV: trial table column of the trial's length in ms"
      + " (default: " + TrialColumns.DURATION + "); without it, --start-column and --stop-column.")
  String durationColumn;

  @Option(names = "--start-column", description = "EVENTS_CSV: trial start in ms (default: " + TrialColumns.START
      + "), used with --stop-column when there is no duration column.")
  String startColumn;

  @Option(names = "--stop-column", description = "EVENTS_CSV: trial stop in ms (default: " + TrialColumns.STOP + ").")
  String stopColumn;

  @Option(names = "--source-bin-ms", defaultValue = "1", description = "MAT: time resolution of the matrices (default: ${DEFAULT-VALUE}).")
  double sourceBinMs;

  @Option(names = "--max-file-bytes", defaultValue = "4294967296", description = "MAT/NWB: refuse larger files (default: ${DEFAULT-VALUE}).")
  long maxFileBytes;

  @Option(names = "--max-recording-memory", paramLabel = "BYTES", defaultValue = "0",
      description = "Memory a task may use to hold one recording's decoded file and trial counts; a recording"
          + " declaring more is refused before anything is allocated (default: a quarter of the executor heap).")
  long maxRecordingMemory;

  public record Config(Lake lake, Format format, String session, String input, String trials, double binMs,
      MatSpikeReader.Layout matLayout, String nwbConditionColumn, long maxFileBytes, RecordingLimits limits,
      BadRecordPolicy badRecords, TrialColumns trialColumns, String nwbTrialColumn) {
    public Config {
      PartitionKey.requireSafe(session);
      SpikeBinning.nBins(1, binMs);
      if (format == Format.EVENTS_CSV && trials == null) {
        throw new IllegalArgumentException("EVENTS_CSV needs --trials, the trial table");
      }
      if (format != Format.EVENTS_CSV && trials != null) {
        throw new IllegalArgumentException("--trials is only for EVENTS_CSV");
      }
      if (format == Format.MAT) {
        SpikeBinning.factor(matLayout.sourceBinMs(), binMs);
      }
    }
  }

  public Config config() {
    MatSpikeReader.Layout layout = new MatSpikeReader.Layout(matStruct, matDataField,
        conditionField != null ? conditionField : "condition", sourceBinMs);
    if (format != Format.EVENTS_CSV && (neuronsColumn != null || durationColumn != null || startColumn != null
        || stopColumn != null)) {
      throw new IllegalArgumentException("--neurons-column, --duration-column, --start-column and --stop-column are"
          + " for EVENTS_CSV trial tables");
    }
    if (format == Format.MAT && trialColumn != null) {
      throw new IllegalArgumentException("--trial-column is for EVENTS_CSV and NWB; a MAT trial is its struct element");
    }
    TrialColumns columns = TrialColumns.of(trialColumn, format == Format.EVENTS_CSV ? conditionField : null,
        neuronsColumn, durationColumn, startColumn, stopColumn);
    return new Config(common.lake(), format, session, input, trials, binMs, layout, conditionField, maxFileBytes,
        RecordingLimits.DEFAULT.withMaxBytesInMemory(maxRecordingMemory), common.badRecordPolicy(), columns,
        trialColumn != null ? trialColumn : NwbSpikeReader.ID);
  }

  /** Ingests and returns a one-line summary. */
  public static String run(SparkSession spark, Config cfg) {
    return switch (cfg.format()) {
      case EVENTS_CSV -> {
        SpikeEventIngestion.Result r = SpikeEventIngestion.run(spark, cfg.lake(), cfg.session(), cfg.input(),
            cfg.trials(), cfg.trialColumns(), cfg.binMs(), cfg.limits(), cfg.badRecords());
        yield String.format("%d event rows (%d refused) -> %d trials (%d refused) in %s", r.events(), r.badEvents(),
            r.trials(), r.badTrials(), r.path());
      }
      case MAT, NWB -> {
        RecordingReader reader = cfg.format() == Format.MAT
            ? RecordingReader.mat(cfg.matLayout(), cfg.binMs(), cfg.limits(), cfg.maxFileBytes())
            : RecordingReader.nwb(cfg.binMs(), cfg.nwbTrialColumn(), cfg.nwbConditionColumn(), cfg.limits(),
                cfg.maxFileBytes());
        RecordingIngestion.Result r = RecordingIngestion.run(spark, cfg.lake(), cfg.session(), cfg.input(), reader,
            cfg.badRecords());
        yield String.format("%d trials (%d refused) in %s", r.trials(), r.quarantined(), r.path());
      }
    };
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("ingest-spikes").lake(cfg.lake()).catalog(catalog).inputFile("recording", cfg.input());
      if (cfg.trials() != null) {
        d.inputFile("trial table", cfg.trials());
      }
      return d.writes(cfg.format() + " binned at " + cfg.binMs() + " ms", cfg.lake().partitionPath(LakeTables.SPIKE_TRIALS,
          PartitionKey.of(LakeTables.SPIKE_TRIALS, cfg.session()))).print();
    }
    SparkSession spark = JobRunner.session("ingest-spikes " + session, catalog);
    String summary = run(spark, cfg);
    System.out.println("ingest-spikes " + session + ": " + summary);
    catalog.registerWritten(spark, LakeTables.SPIKE_TRIALS, LakeTables.QUARANTINE);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new IngestSpikesJob(), args);
  }
}
