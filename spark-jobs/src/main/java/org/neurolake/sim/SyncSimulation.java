package org.neurolake.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.train.BackupChoice;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FirstNAverage;
import org.neurolake.train.RoundInput;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import org.neurolake.train.TrainingState;
import org.neurolake.train.WorkerResult;

/**
 * Synchronous SGD with backup workers on a virtual clock: M machines, each round N = M - b of them
 * accepted, b stragglers dropped. Each worker's step time is drawn from {@link StepTimes}; the
 * round's results are offered to {@link FirstNAverage} (the engine's own rule) in order of their
 * virtual completion, so the first N are averaged and the stragglers' results are never computed
 * (the engine cancels them). The round lasts until its N-th result plus a fixed overhead.
 *
 * <p>With automatic backups, b is re-chosen every {@code autoEvery} rounds by {@link BackupChoice}
 * from the step times seen so far: every task's, stragglers' included, as the simulator knows them
 * (the Spark engine sees cancelled tasks only up to their cancellation).
 *
 * @param backups b, or -1 for automatic (starting at 0)
 * @param maxVirtualS stop once the virtual clock passes this (0: run all rounds)
 */
public record SyncSimulation(String setting, int backups, int maxAutoBackups, int autoEvery, int rounds,
    double maxVirtualS, double overheadS, StepTimes times, long timeSeed, int evalEvery) {
  public static final int AUTO = -1;

  public SyncSimulation {
    if (backups < AUTO || rounds < 1 || evalEvery < 1 || autoEvery < 1 || overheadS < 0) {
      throw new IllegalArgumentException("bad simulation settings for " + setting);
    }
  }

  SimResult run(ModelSpec spec, TrainerConfig cfg, SimWorkers workers, TrainingRun.Evaluator evaluator) {
    int m = workers.machines();
    if (backups >= m || maxAutoBackups >= m) {
      throw new IllegalArgumentException(setting + ": b must leave at least one of the " + m + " machines");
    }
    boolean averaged = workers.averaged();
    TrainingState state = BackupWorkerTrainer.initialState(spec);
    List<SimStep> steps = new ArrayList<>();
    List<SimEvaluation> evals = new ArrayList<>();
    List<Integer> chosen = new ArrayList<>();
    List<Double> seen = new ArrayList<>();
    int b = backups == AUTO ? 0 : backups;
    double clock = 0;
    for (int r = 0; r < rounds && (maxVirtualS <= 0 || clock < maxVirtualS); r++) {
      if (backups == AUTO && r > 0 && r % autoEvery == 0) {
        b = BackupChoice.choose(seen.stream().mapToDouble(Double::doubleValue).toArray(), m, maxAutoBackups, BackupChoice.RESAMPLES,
            timeSeed + r).backups();
      }
      if (backups == AUTO) {
        chosen.add(b);
      }
      int n = m - b;
      double[] t = new double[m];
      for (int w = 0; w < m; w++) {
        t[w] = times.seconds(timeSeed, r, w);
        seen.add(t[w]);
      }
      int[] order = IntStream.range(0, m).boxed()
          .sorted(Comparator.<Integer>comparingDouble(w -> t[w]).thenComparingInt(w -> w))
          .mapToInt(Integer::intValue).toArray();
      RoundInput in = new RoundInput(cfg.runId(), r, state.parameters(), averaged ? state.optimizerState()
          : new float[0], cfg.stepAt(r), cfg.learningRate().rate(r, cfg.rounds()));
      FirstNAverage firstN = new FirstNAverage(n, state.parameters().length,
          averaged ? state.optimizerState().length : 0);
      double loss = 0;
      for (int k = 0; k < m && !firstN.complete(); k++) {
        WorkerResult res = workers.run(order[k], in, averaged);
        if (firstN.offer(res)) {
          loss += res.loss() / n;
        }
      }
      clock += t[order[n - 1]] + overheadS;
      state = firstN.average(r, state.updates() + 1);
      steps.add(new SimStep(setting, r + 1, clock, loss, n, b, 0));
      if ((r + 1) % evalEvery == 0) {
        evaluate(evaluator, state, cfg.stepAt(r + 1), r + 1, clock, evals);
      }
    }
    SimStep last = steps.get(steps.size() - 1);
    if (last.index() % evalEvery != 0) {
      evaluate(evaluator, state, cfg.stepAt((int) last.index()), last.index(), clock, evals);
    }
    return new SimResult(setting, steps, evals, chosen);
  }

  private void evaluate(TrainingRun.Evaluator evaluator, TrainingState state, long step, long index, double clock,
      List<SimEvaluation> out) {
    for (TrainingRun.Evaluation e : evaluator.evaluate(state.parameters(), step)) {
      out.add(new SimEvaluation(setting, index, clock, e.split(), e.metric(), e.value()));
    }
  }

  @Override
  public String toString() {
    return setting + " (b=" + (backups == AUTO ? "auto" : Integer.toString(backups)) + ", " + times + ")";
  }

}
