package org.neurolake.train;

import java.util.Arrays;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each round's number of backups b. A fixed {@code backups} is every round's b. Under
 * {@code backups = auto} the run starts at b = 0 and, at every round that is a multiple of
 * {@code auto-backups-every} (and has task times to go by), re-chooses b in [0, max-backups] with
 * {@link BackupChoice#choose}, the simulator's own rule: the b that minimizes the expected round
 * time per accepted result for the run's M tasks, from the task durations of every round this
 * trainer ran so far, seeded with the run's seed and the round (so the same times give the same b).
 *
 * <p>A cancelled straggler's duration is known only up to its cancellation, a lower bound: it
 * understates the cost of fewer backups than the current b, so the choice leans towards fewer
 * backups, and with fewer backups the engine sees the full times again. At b = 0 every time is
 * complete. A resumed run starts from b = 0 again (the times of an earlier invocation are not read).
 */
final class BackupSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(BackupSchedule.class);

  private final TrainerConfig cfg;
  private int current;

  BackupSchedule(TrainerConfig cfg) {
    this.cfg = cfg;
    this.current = cfg.autoBackups() ? 0 : cfg.backups();
  }

  /**
   * The b of round {@code round}; under {@code auto}, re-chosen first when the round is due,
   * from {@code observedS} (task durations in seconds; asked for only then).
   */
  int backupsAt(int round, Supplier<double[]> observedS) {
    if (!cfg.autoBackups() || round == 0 || round % cfg.autoBackupsEvery() != 0) {
      return current;
    }
    double[] seen = observedS.get();
    if (seen.length == 0) {
      return current;
    }
    BackupChoice.Choice c = BackupChoice.choose(seen, cfg.tasksPerRound(), cfg.largestBackups(),
        BackupChoice.RESAMPLES, cfg.seed() + round);
    LOG.info(String.format("run %s round %d: backups = auto chose b = %d of M = %d (was %d) from %d task times;"
        + " estimated seconds per accepted result for b = 0..%d: %s", cfg.runId(), round, c.backups(),
        cfg.tasksPerRound(), current, seen.length, cfg.largestBackups(), Arrays.toString(
            Arrays.stream(c.secondsPerResult()).map(v -> Math.round(v * 1e4) / 1e4).toArray())));
    current = c.backups();
    return current;
  }
}
