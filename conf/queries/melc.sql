-- The MELC evaluation (bin/pipeline evaluate-melc) per data set: the newest cross-validated
-- figures of each model (runs of evaluate-melc on split cv<k>; the newest row per model, set and
-- metric). bacc_* are mean balanced accuracies over the outer folds; thr_* the mean number of
-- thresholds of MELC's decision (one-vs-rest: summed over the binary problems); sec_* mean fit
-- seconds per fold (MLlib's and the RBF SVM's include their inner cross-validation). bacc_rbf and
-- sec_rbf: LIBSVM's RBF-kernel SVM (evaluate-melc --rbf), empty for sets it was not run on.
WITH newest AS (
  SELECT model, dataset, split, metric, value,
         row_number() OVER (PARTITION BY model, dataset, split, metric ORDER BY created_at DESC, run_id) AS place
  FROM evaluations
  WHERE model IN ('melc', 'melc_binned', 'melc_discard', 'linear_svc', 'logistic', 'rbf_svc') AND split LIKE 'cv%'
),
v AS (SELECT * FROM newest WHERE place = 1)
SELECT dataset, split,
       round(max(CASE WHEN model = 'melc' AND metric = 'balanced_accuracy' THEN value END), 4) AS bacc_melc,
       round(max(CASE WHEN model = 'melc_binned' AND metric = 'balanced_accuracy' THEN value END), 4) AS bacc_binned,
       round(max(CASE WHEN model = 'melc_discard' AND metric = 'balanced_accuracy' THEN value END), 4) AS bacc_discard,
       round(max(CASE WHEN model = 'linear_svc' AND metric = 'balanced_accuracy' THEN value END), 4) AS bacc_svc,
       round(max(CASE WHEN model = 'logistic' AND metric = 'balanced_accuracy' THEN value END), 4) AS bacc_logistic,
       round(max(CASE WHEN model = 'rbf_svc' AND metric = 'balanced_accuracy' THEN value END), 4) AS bacc_rbf,
       round(max(CASE WHEN model = 'melc' AND metric = 'thresholds' THEN value END), 1) AS thr_melc,
       round(max(CASE WHEN model = 'melc_binned' AND metric = 'thresholds' THEN value END), 1) AS thr_binned,
       round(max(CASE WHEN model = 'melc_discard' AND metric = 'thresholds' THEN value END), 1) AS thr_discard,
       round(max(CASE WHEN model = 'melc' AND metric = 'fit_seconds' THEN value END), 2) AS sec_melc,
       round(max(CASE WHEN model = 'melc_binned' AND metric = 'fit_seconds' THEN value END), 2) AS sec_binned,
       round(max(CASE WHEN model = 'melc_discard' AND metric = 'fit_seconds' THEN value END), 2) AS sec_discard,
       round(max(CASE WHEN model = 'linear_svc' AND metric = 'fit_seconds' THEN value END), 2) AS sec_svc,
       round(max(CASE WHEN model = 'logistic' AND metric = 'fit_seconds' THEN value END), 2) AS sec_logistic,
       round(max(CASE WHEN model = 'rbf_svc' AND metric = 'fit_seconds' THEN value END), 2) AS sec_rbf
FROM v
GROUP BY dataset, split
ORDER BY dataset, split
