-- A run's learning curve: its evaluations by round, one row per round, split and metric (the
-- latest one when a round was evaluated twice, e.g. by a resumed run).
SELECT `round`, split, metric, value, model, dataset
FROM (
  SELECT *,
         row_number() OVER (PARTITION BY model, dataset, split, metric, `round` ORDER BY created_at DESC) AS newest
  FROM evaluations
  WHERE run_id = '${run_id}'
)
WHERE newest = 1
ORDER BY model, dataset, split, metric, `round`
