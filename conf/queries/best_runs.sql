-- Best run per model, dataset, split and metric, judged on each run's final evaluation: the row of
-- its last round (the latest one when a round was evaluated twice, e.g. by a resumed run).
-- Metrics named like a loss or an error (loss, nll, perplexity, mse, mae, error, bits_per_*) are
-- better when lower; every other metric (accuracy, r2, ...) when higher. Ties go to the run id
-- that sorts first.
WITH final AS (
  SELECT model, dataset, split, metric, run_id, value, `round`,
         row_number() OVER (PARTITION BY model, dataset, split, metric, run_id
                            ORDER BY coalesce(`round`, -1) DESC, created_at DESC) AS newest
  FROM evaluations
),
ranked AS (
  SELECT *,
         count(*) OVER (PARTITION BY model, dataset, split, metric) AS runs,
         row_number() OVER (PARTITION BY model, dataset, split, metric
                            ORDER BY CASE WHEN metric RLIKE '(loss|nll|perplexity|mse|mae|error|bits_per_[a-z]+)$'
                                          THEN value ELSE -value END,
                                     run_id) AS place
  FROM final
  WHERE newest = 1
)
SELECT model, dataset, split, metric, run_id AS best_run, value, `round`, runs AS runs_compared
FROM ranked
WHERE place = 1
ORDER BY model, dataset, split, metric
