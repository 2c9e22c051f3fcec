package org.neurolake.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.report.RoundPlots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plot-rounds", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draws a run's straggler plots from train_rounds as PNG: the CDF of task completion times within"
        + " their round (accepted and dropped tasks), and the loss curve (mean loss of the accepted tasks per round).")
public final class PlotRoundsJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--run-id", required = true, description = "The run to plot.")
  String runId;

  @Option(names = "--out", description = "Output folder (default: <lake>/reports/<run-id>).")
  String out;

  public record Config(Lake lake, String runId, Path out) {
    public Config {
      PartitionKey.requireSafe(runId);
    }
  }

  public Config config() {
    Lake lake = common.lake();
    Path o = out != null ? new Path(HadoopPaths.toUri(out)) : ReportJob.runDirectory(lake, runId);
    return new Config(lake, runId, o);
  }

  /** Writes {@code completion_cdf.png} and {@code loss.png}; returns their paths. */
  public static List<Path> run(SparkSession spark, Config cfg) {
    return RoundPlots.write(spark, cfg.runId(), RoundPlots.rows(spark, cfg.lake(), cfg.runId()), cfg.out());
  }

  @Override
  public Integer call() {
    Config cfg = config();
    if (common.dryRun()) {
      return new DryRun("plot-rounds").lake(cfg.lake())
          .reads("train_rounds", cfg.lake().partitionPath(LakeTables.TRAIN_ROUNDS,
              PartitionKey.of(LakeTables.TRAIN_ROUNDS, cfg.runId())))
          .writes(RoundPlots.COMPLETION_CDF + " and " + RoundPlots.LOSS, cfg.out())
          .print();
    }
    System.setProperty("java.awt.headless", "true");
    List<Path> pngs = run(JobRunner.session("plot-rounds " + runId), cfg);
    System.out.println("plot-rounds " + runId + ": " + pngs);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new PlotRoundsJob(), args);
  }
}
