package org.neurolake.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.RoundInput;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import org.neurolake.train.WorkerResult;

/**
 * Asynchronous SGD on the same virtual clock, the backup-workers paper's baseline: each of M
 * workers reads the current parameters, runs its K local steps ({@link SimWorkers}: the engine's
 * worker arithmetic) for a drawn step time, and then adds its change (its parameters minus those it
 * read, times {@code updateScale}) to the shared parameters, whatever was applied meanwhile; the
 * number of updates applied between its read and its write is its staleness. Each worker keeps its
 * own optimizer state. The learning-rate schedule advances one round per M updates (as much worker
 * work as one synchronous round of M machines).
 *
 * @param maxUpdates stop after this many updates (or at {@code maxVirtualS} when positive)
 * @param evalEvery evaluate every {@code evalEvery * M} updates
 */
public record AsyncSimulation(String setting, long maxUpdates, double maxVirtualS, double updateScale,
    StepTimes times, long timeSeed, int evalEvery) {
  public AsyncSimulation {
    if (maxUpdates < 1 || evalEvery < 1 || !(updateScale > 0)) {
      throw new IllegalArgumentException("bad asynchronous simulation settings for " + setting);
    }
  }

  SimResult run(ModelSpec spec, TrainerConfig cfg, SimWorkers workers, TrainingRun.Evaluator evaluator) {
    int m = workers.machines();
    float[] shared = BackupWorkerTrainer.initialState(spec).parameters();
    float[][] read = new float[m][];
    long[] readVersion = new long[m];
    long[] own = new long[m];
    double[] finish = new double[m];
    PriorityQueue<Integer> next = new PriorityQueue<>((a, b) -> finish[a] != finish[b]
        ? Double.compare(finish[a], finish[b]) : Integer.compare(a, b));
    for (int w = 0; w < m; w++) {
      read[w] = shared.clone();
      finish[w] = times.seconds(timeSeed, 0, w);
      next.add(w);
    }
    List<SimStep> steps = new ArrayList<>();
    List<SimEvaluation> evals = new ArrayList<>();
    long version = 0;
    double clock = 0;
    while (version < maxUpdates && (maxVirtualS <= 0 || clock < maxVirtualS)) {
      int w = next.poll();
      clock = finish[w];
      int round = (int) (version / m);
      RoundInput in = new RoundInput(cfg.runId(), (int) own[w], read[w], new float[0], own[w] * cfg.localSteps(),
          cfg.learningRate().rate(Math.min(round, cfg.rounds() - 1), cfg.rounds()));
      WorkerResult res = workers.run(w, in, false);
      float[] after = res.parameters();
      for (int i = 0; i < shared.length; i++) {
        shared[i] += (float) (updateScale * (after[i] - read[w][i]));
      }
      int staleness = (int) (version - readVersion[w]);
      version++;
      steps.add(new SimStep(setting, version, clock, res.loss(), 1, 0, staleness));
      read[w] = shared.clone();
      readVersion[w] = version;
      own[w]++;
      finish[w] = clock + times.seconds(timeSeed, own[w], w);
      next.add(w);
      if (version % ((long) evalEvery * m) == 0) {
        evaluate(evaluator, shared, version, clock, cfg, m, evals);
      }
    }
    if (version % ((long) evalEvery * m) != 0) {
      evaluate(evaluator, shared, version, clock, cfg, m, evals);
    }
    return new SimResult(setting, steps, evals, List.of());
  }

  private void evaluate(TrainingRun.Evaluator evaluator, float[] shared, long version, double clock,
      TrainerConfig cfg, int m, List<SimEvaluation> out) {
    for (TrainingRun.Evaluation e : evaluator.evaluate(shared.clone(), cfg.stepAt((int) (version / m)))) {
      out.add(new SimEvaluation(setting, version, clock, e.split(), e.metric(), e.value()));
    }
  }
}
