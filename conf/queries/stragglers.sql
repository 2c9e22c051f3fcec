-- Straggler statistics per run, from train_rounds (one row per task attempt, the dropped ones
-- included): rounds, task attempts, how many were dropped (results after the first N of a round,
-- or cancelled), and percentiles of the task time end_ms - start_ms over all attempts (exact, with
-- linear interpolation) and of the round time (first task start to last accepted task end).
WITH tasks AS (
  SELECT run_id, `round`, accepted, end_ms - start_ms AS task_ms, start_ms, end_ms
  FROM train_rounds
),
rounds AS (
  SELECT run_id, `round`, max(CASE WHEN accepted THEN end_ms END) - min(start_ms) AS round_ms
  FROM tasks
  GROUP BY run_id, `round`
),
per_run AS (
  SELECT run_id,
         count(DISTINCT `round`) AS rounds,
         count(*) AS tasks,
         sum(CASE WHEN accepted THEN 0 ELSE 1 END) AS dropped,
         percentile(task_ms, 0.5) AS p50_task_ms,
         percentile(task_ms, 0.95) AS p95_task_ms,
         percentile(task_ms, 0.99) AS p99_task_ms,
         max(task_ms) AS max_task_ms
  FROM tasks
  GROUP BY run_id
)
SELECT p.run_id, p.rounds, p.tasks, p.dropped,
       round(p.dropped / p.tasks, 4) AS dropped_fraction,
       round(p.p50_task_ms, 1) AS p50_task_ms,
       round(p.p95_task_ms, 1) AS p95_task_ms,
       round(p.p99_task_ms, 1) AS p99_task_ms,
       p.max_task_ms,
       round(r.p50_round_ms, 1) AS p50_round_ms
FROM per_run p
JOIN (SELECT run_id, percentile(round_ms, 0.5) AS p50_round_ms FROM rounds GROUP BY run_id) r
  ON p.run_id = r.run_id
ORDER BY p.run_id
