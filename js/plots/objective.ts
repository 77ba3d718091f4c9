// Which metric a set of runs is judged by, and which way is better: the rules of
// src/labtrack/backend/objective.py, held to the same cases
// (tests/fixtures/objective_cases.json), so the sidebar and the widgets agree.
// - only metrics most of the runs have count, unless none is that common;
// - timing metrics (*_time, *_seconds…) are never the objective;
// - autologging's search scores first (best_cv_score, then mean_test_score);
// - then a loss or error, then a score-like name, then any other, a score's spread
//   (std_*) last; ties go to the metric more runs have.
import type { ICompareData } from './compare-data';

const SEARCH_SCORES = ['best_cv_score', 'mean_test_score'];
const LOWER = /loss|error|mse|mae|rmse|(^|_)rank($|_)/i;
const TIMING = /(^|_)(time|seconds|duration)(_ms|_s)?$/i;
const SCORE_LIKE = /acc|auc|f1|r2|score|precision|recall|iou|bleu|map/i;

/** Lower is better for losses, errors and ranks, higher for everything else. */
export function lowerIsBetter(key: string): boolean {
  return LOWER.test(key);
}

export function isTimingMetric(key: string): boolean {
  return TIMING.test(key);
}

function rank(key: string): number {
  const search = SEARCH_SCORES.indexOf(key);
  if (search >= 0) {
    return search;
  }
  if (key.startsWith('std_')) {
    return 6;
  }
  const isRank = key.startsWith('rank');
  if (LOWER.test(key) && !isRank) {
    return 2;
  }
  if (SCORE_LIKE.test(key) && !isRank) {
    return 3;
  }
  return isRank ? 5 : 4;
}

/** The objective among metric keys, given how many runs have each. */
export function objectiveFromCoverage(coverage: Record<string, number>, runCount: number): string | null {
  const candidates = Object.keys(coverage).filter(key => !isTimingMetric(key));
  const common = candidates.filter(key => coverage[key] * 2 >= runCount);
  const pool = common.length ? common : candidates;
  if (!pool.length) {
    return null;
  }
  return pool.reduce((best, key) => {
    const order = rank(key) - rank(best) || coverage[best] - coverage[key] || (key < best ? -1 : key > best ? 1 : 0);
    return order < 0 ? key : best;
  });
}

/** The objective of compared runs: a metric most of them have (see the rules above). */
export function objectiveMetric(data: ICompareData): string | null {
  const coverage: Record<string, number> = {};
  for (const column of data.metrics) {
    coverage[column.key] = column.values.filter(v => v !== null && v !== undefined).length;
  }
  return objectiveFromCoverage(coverage, data.runs.length);
}
