package org.neurolake.train;

/**
 * One task attempt of a round, for the train_rounds table: where and when it ran (from Spark's
 * scheduler, so cancelled stragglers are included), whether its result was among the round's first
 * N, and its loss and examples when its result was received (null otherwise); {@code backups}: its
 * round's b (fixed, or chosen under {@code backups = auto}).
 */
public record TaskRecord(int task, int partition, String executor, long startMs, long endMs, boolean accepted,
    Double loss, Long examples, int backups) {}
