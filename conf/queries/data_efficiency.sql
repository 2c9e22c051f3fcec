-- The sentiment probe's data-efficiency curve for one run: accuracy against the number of labeled
-- training examples, per model and split, over the seeds (the latest row when a seed was
-- evaluated twice). std_accuracy is the sample standard deviation (NULL with one seed).
SELECT model, split, n_examples,
       count(*) AS seeds,
       round(avg(accuracy), 4) AS mean_accuracy,
       round(stddev_samp(accuracy), 4) AS std_accuracy,
       round(min(accuracy), 4) AS min_accuracy,
       round(max(accuracy), 4) AS max_accuracy
FROM (
  SELECT *,
         row_number() OVER (PARTITION BY model, split, n_examples, seed ORDER BY created_at DESC) AS newest
  FROM data_efficiency
  WHERE run_id = '${run_id}'
)
WHERE newest = 1
GROUP BY model, split, n_examples
ORDER BY model, split, n_examples
