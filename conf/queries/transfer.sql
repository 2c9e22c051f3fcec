-- The sentiment-neuron paper's transfer table for one run: test accuracy per task (the probed
-- source) of the mLSTM features (L1 probe), the sentiment unit alone, and the hashed bag-of-words
-- and byte n-gram baselines, as mean ± std over the protocol's folds ("fixed" split and
-- "held-out" test sets have one fold, std 0). The latest rows when a task was probed twice.
WITH latest AS (
  SELECT model, dataset, split, metric, value,
         row_number() OVER (PARTITION BY model, dataset, metric ORDER BY created_at DESC) AS newest
  FROM evaluations
  WHERE run_id = '${run_id}' AND metric LIKE 'transfer_%'
),
cell AS (
  SELECT dataset, model, max(split) AS protocol,
         max(CASE WHEN metric = 'transfer_accuracy_mean' THEN value END) AS mean,
         max(CASE WHEN metric = 'transfer_accuracy_std' THEN value END) AS std
  FROM latest
  WHERE newest = 1
  GROUP BY dataset, model
),
shown AS (
  SELECT dataset, model, protocol,
         concat(format_number(100 * mean, 1), ' ± ', format_number(100 * std, 1)) AS acc
  FROM cell
)
SELECT dataset AS task,
       max(protocol) AS protocol,
       max(CASE WHEN model = 'mlstm-probe' THEN acc END) AS mlstm_features,
       max(CASE WHEN model = 'mlstm-unit' THEN acc END) AS sentiment_unit,
       max(CASE WHEN model = 'bow-baseline' THEN acc END) AS bag_of_words,
       max(CASE WHEN model = 'ngram-baseline' THEN acc END) AS byte_ngrams
FROM shown
GROUP BY dataset
ORDER BY dataset
