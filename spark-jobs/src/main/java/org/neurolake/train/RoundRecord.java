package org.neurolake.train;

import java.util.List;

/**
 * What happened in one round: the averaged loss of the accepted tasks, which tasks were accepted,
 * and every task's own record (for the train_rounds table).
 */
public record RoundRecord(int round, double loss, int accepted, int dropped, long wallMs, long slowestAcceptedMs,
    List<TaskRecord> tasks) {

  /** One task attempt of the round. Loss and examples are null when its result was not received. */
  public record TaskRecord(int task, int partition, String executor, long startMs, long endMs, boolean accepted,
      Double loss, Long examples) {}

  /** Round time minus the slowest accepted task's own time: what the engine itself cost. */
  public long orchestrationMs() {
    return wallMs - slowestAcceptedMs;
  }
}
