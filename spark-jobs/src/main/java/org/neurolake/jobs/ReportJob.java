package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.neurolake.pipelines.io.AtomicFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainingRun;
import org.neurolake.report.ReportFiles;
import org.neurolake.report.ReportHtml;
import org.neurolake.report.RoundPlots;
import org.neurolake.report.RunReport;
import org.neurolake.report.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Writes a run's static HTML report, <lake>/reports/<run-id>/index.html: its configuration (run.json beside its"
            + " checkpoints), its evaluations, the loss curve and task-time CDF from train_rounds, and every PNG a"
            + " model job put in <lake>/reports/<run-id>/plots/.",
        "Then rebuilds the index of all reported runs, <lake>/reports/index.html."})
public final class ReportJob implements Callable<Integer> {
  /** The report page and the summary of a run, in its folder. */
  public static final String PAGE = "index.html";
  public static final String SUMMARY = "summary.json";
  /** Where model jobs put their own PNGs for the report, inside the run's folder. */
  public static final String MODEL_PLOTS = "plots";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--run-id", required = true, description = "The run to report.")
  String runId;

  public record Config(Lake lake, String runId) {
    public Config {
      PartitionKey.requireSafe(runId);
    }
  }

  /** What a report run wrote. */
  public record Result(Path page, Path index, RunReport report) {}

  public Config config() {
    return new Config(common.lake(), runId);
  }

  /** {@code <lake>/reports}. */
  public static Path reportsDirectory(Lake lake) {
    return new Path(new Path(lake.root()), "reports");
  }

  /** {@code <lake>/reports/<run-id>}: the run's page, its plots, and {@code plots/} for model jobs. */
  public static Path runDirectory(Lake lake, String runId) {
    return new Path(reportsDirectory(lake), PartitionKey.requireSafe(runId));
  }

  /** {@code <lake>/checkpoints/<run-id>/run.json}, written by the training jobs. */
  public static Path runConfig(Lake lake, String runId) {
    return RunRecord.path(TrainingRun.Config.defaultCheckpointDir(lake, runId));
  }

  public static Result run(SparkSession spark, Config cfg) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path dir = runDirectory(cfg.lake(), cfg.runId());
    Path configFile = runConfig(cfg.lake(), cfg.runId());
    Optional<String> config = AtomicFiles.readUtf8(conf, configFile).map(json -> prettyRunConfig(configFile, json));
    List<RunReport.Evaluation> evaluations = evaluations(spark, cfg);
    List<Row> rounds = RoundPlots.rows(spark, cfg.lake(), cfg.runId());
    List<String> roundPlots = rounds.isEmpty() ? List.of()
        : RoundPlots.write(spark, cfg.runId(), rounds, dir).stream().map(Path::getName).toList();
    List<String> modelPlots = ReportFiles.list(conf, new Path(dir, MODEL_PLOTS), ".png", false).stream()
        .map(Path::getName).toList();
    RunReport report = new RunReport(cfg.runId(), configFile.toString(), config, evaluations, roundPlots, modelPlots,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    if (report.isEmpty()) {
      throw new IllegalArgumentException("the lake " + cfg.lake().root() + " knows nothing of run '" + cfg.runId()
          + "': no " + configFile + ", no evaluations or train_rounds rows, no plots in " + new Path(dir, MODEL_PLOTS));
    }
    Path page = AtomicFiles.write(conf, new Path(dir, PAGE), ReportHtml.runPage(report));
    try {
      AtomicFiles.write(conf, new Path(dir, SUMMARY), JSON.writeValueAsBytes(RunSummary.of(report)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the summary of run " + cfg.runId(), e);
    }
    return new Result(page, writeIndex(conf, cfg.lake()), report);
  }

  /** Rebuilds {@code <lake>/reports/index.html} from every run folder's summary.json. */
  public static Path writeIndex(Configuration conf, Lake lake) {
    List<RunSummary> runs = new ArrayList<>();
    for (Path runDir : ReportFiles.list(conf, reportsDirectory(lake), "", true)) {
      Path summary = new Path(runDir, SUMMARY);
      Optional<String> json = AtomicFiles.readUtf8(conf, summary);
      if (json.isPresent()) {
        try {
          runs.add(JSON.readValue(json.get(), RunSummary.class));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(summary + " is not a run summary (" + e.getOriginalMessage()
              + "); rerun the report of " + runDir.getName(), e);
        }
      }
    }
    return AtomicFiles.write(conf, new Path(reportsDirectory(lake), PAGE), ReportHtml.index(runs));
  }

  private static List<RunReport.Evaluation> evaluations(SparkSession spark, Config cfg) {
    if (!ReportFiles.exists(spark.sparkContext().hadoopConfiguration(), cfg.lake().tablePath(LakeTables.EVALUATIONS))) {
      return List.of();
    }
    return TableReader.read(spark, cfg.lake(), LakeTables.EVALUATIONS)
        .where(col(Columns.RUN_ID).equalTo(cfg.runId()))
        .select(Columns.MODEL, Columns.DATASET, Columns.SPLIT, Columns.METRIC, Columns.ROUND, Columns.VALUE,
            Columns.CREATED_AT)
        .collectAsList().stream()
        .map(r -> new RunReport.Evaluation(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
            r.isNullAt(4) ? null : r.getInt(4), r.getDouble(5), r.getTimestamp(6).toInstant().toString()))
        .toList();
  }

  /** run.json as the typed record reads it (an earlier release's form included), indented: the spec as JSON. */
  static String prettyRunConfig(Path file, String json) {
    return RunRecord.parse(file, json).toJson();
  }

  @Override
  public Integer call() {
    Config cfg = config();
    if (common.dryRun()) {
      Path dir = runDirectory(cfg.lake(), cfg.runId());
      return new DryRun("report").lake(cfg.lake())
          .reads("run configuration", runConfig(cfg.lake(), cfg.runId()))
          .reads("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS))
          .reads("train_rounds", cfg.lake().partitionPath(LakeTables.TRAIN_ROUNDS,
              PartitionKey.of(LakeTables.TRAIN_ROUNDS, cfg.runId())))
          .reads("model plots", new Path(dir, MODEL_PLOTS))
          .writes("the run's report", new Path(dir, PAGE))
          .writes("the index of runs", new Path(reportsDirectory(cfg.lake()), PAGE))
          .print();
    }
    System.setProperty("java.awt.headless", "true");
    Result r = run(JobRunner.session("report " + cfg.runId()), cfg);
    System.out.printf("report %s: %s (%d evaluations, %d plots); index %s%n", cfg.runId(), r.page(),
        r.report().evaluations().size(), r.report().roundPlots().size() + r.report().modelPlots().size(), r.index());
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new ReportJob(), args);
  }
}
