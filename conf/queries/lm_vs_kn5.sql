-- Perplexity per corpus and split: every LSTM-LM run's evaluate-lm figure (model lstm-lm) and every
-- Kneser-Ney model's evaluate-kn5 figure (model kn<order>), the latest per run or model id, each
-- with the corpus's best KN5 perplexity on that split and the ratio to it (< 1: better than KN5).
-- Only job evaluations count (round NULL), not the rounds of a training run.
WITH latest AS (
  SELECT model, run_id, dataset AS corpus, split, value AS ppl,
         row_number() OVER (PARTITION BY model, run_id, dataset, split ORDER BY created_at DESC) AS newest
  FROM evaluations
  WHERE metric = 'ppl' AND `round` IS NULL AND (model = 'lstm-lm' OR model RLIKE '^kn[0-9]+$')
),
kn5 AS (
  SELECT corpus, split, min(ppl) AS kn5_ppl
  FROM latest
  WHERE newest = 1 AND model = 'kn5'
  GROUP BY corpus, split
)
SELECT l.corpus, l.split, l.model, l.run_id, round(l.ppl, 2) AS ppl, round(k.kn5_ppl, 2) AS kn5_ppl,
       round(l.ppl / k.kn5_ppl, 4) AS vs_kn5
FROM latest l LEFT JOIN kn5 k ON l.corpus = k.corpus AND l.split = k.split
WHERE l.newest = 1
ORDER BY l.corpus, l.split, l.ppl, l.run_id
