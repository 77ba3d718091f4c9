// The Runs table's pure decisions, apart from its model (table-model.ts): which experiment
// to show first, and how a page of runs joins the rows already shown.
import { IExperimentView, IRunPage, IRunRow } from '../tokens';
import { DEFAULT_SORT } from './columns';
import type { IRunsTableState } from './table-model';

/** How a page answers: the first page of a new query, a refresh of the rows shown, or the
 * next page after them. */
export type PageMode = 'replace' | 'refresh' | 'append';

/** The experiments a person can pick (deleted ones are not offered). */
export function activeExperiments(experiments: readonly IExperimentView[]): IExperimentView[] {
  return experiments.filter(e => e.lifecycle_stage === 'active');
}

/** The experiment named (or numbered) `wanted`, else the most recently updated one: that is
 * where the notebook just logged. */
export function pickExperiment(
  experiments: readonly IExperimentView[],
  wanted: string
): string | null {
  const name = wanted.trim();
  const named = experiments.find(e => e.name === name || e.experiment_id === name);
  if (named) {
    return named.experiment_id;
  }
  const recent = [...experiments].sort(
    (a, b) => (b.last_update_time ?? 0) - (a.last_update_time ?? 0)
  );
  return recent[0]?.experiment_id ?? null;
}

/** The rows and next-page token after `page` arrived. A next page is appended without the
 * runs already shown (a run started meanwhile shifts the pages); a refresh replaces the
 * window it asked for and keeps the rows beyond it (a long scroll), without duplicates. */
export function joinPage(
  shown: { rows: readonly IRunRow[]; nextPageToken: string | null },
  page: IRunPage,
  mode: PageMode
): { rows: IRunRow[]; nextPageToken: string | null } {
  if (mode === 'append') {
    const seen = new Set(shown.rows.map(r => r.run_id));
    return {
      rows: [...shown.rows, ...page.runs.filter(r => !seen.has(r.run_id))],
      nextPageToken: page.next_page_token
    };
  }
  if (mode === 'refresh' && shown.rows.length > page.runs.length) {
    const fresh = new Set(page.runs.map(r => r.run_id));
    const beyond = shown.rows.slice(page.runs.length).filter(r => !fresh.has(r.run_id));
    return { rows: [...page.runs, ...beyond], nextPageToken: shown.nextPageToken };
  }
  return { rows: page.runs, nextPageToken: page.next_page_token };
}

/** What the table shows before anything is loaded. */
export function initialTableState(): IRunsTableState {
  return {
    experiments: [],
    experimentId: null,
    filter: '',
    appliedFilter: '',
    filterError: null,
    sort: DEFAULT_SORT,
    notebookOnly: false,
    notebookPath: null,
    params: [],
    metrics: [],
    available: null,
    rows: [],
    nextPageToken: null,
    phase: 'idle',
    loadingMore: false,
    error: null,
    selected: new Set(),
    loadedAt: null
  };
}
