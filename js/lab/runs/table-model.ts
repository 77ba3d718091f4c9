import { VDomModel } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';

import {
  IExperimentView,
  ILabtrackService,
  IRunColumns,
  IRunRow,
  IRunSelection
} from '../tokens';
import { DEFAULT_SORT, ISortOrder, IRunColumn, orderBy, tableColumns } from './columns';

/** How often a table showing RUNNING runs asks for fresh statuses. */
export const LIVE_REFRESH_MS = 2000;
/** How often, and how long at most, to look for the run of a `%%track` cell just started. */
const FOLLOW_STEP_MS = 1000;
const FOLLOW_LIMIT_MS = 60_000;
/** The kernel's clock and the browser's may differ a little (same machine or not). */
const CLOCK_SLACK_MS = 5 * 60_000;

export interface IRunsTableState {
  experiments: IExperimentView[];
  experimentId: string | null;
  /** The filter being typed; `appliedFilter` is the one the rows answer. */
  filter: string;
  appliedFilter: string;
  /** The server's message for a malformed filter, shown under the filter box. */
  filterError: string | null;
  sort: ISortOrder;
  notebookOnly: boolean;
  /** The active notebook, relative to the server root, or null when none is open. */
  notebookPath: string | null;
  params: string[];
  metrics: string[];
  /** Keys the chosen experiment's runs have, for the column chooser. */
  available: IRunColumns | null;
  rows: IRunRow[];
  nextPageToken: string | null;
  phase: 'idle' | 'loading' | 'ready' | 'error';
  loadingMore: boolean;
  error: string | null;
  selected: ReadonlySet<string>;
  loadedAt: number | null;
}

/** The Runs table: which runs to ask for, the rows that came back, and the selection. */
export class RunsTableModel extends VDomModel implements IRunSelection {
  constructor(options: RunsTableModel.IOptions) {
    super();
    this._service = options.service;
  }

  get state(): Readonly<IRunsTableState> {
    return this._state;
  }

  get columns(): IRunColumn[] {
    return tableColumns(this._state.params, this._state.metrics);
  }

  // -- IRunSelection ---------------------------------------------------------------

  get runIds(): readonly string[] {
    return [...this._state.selected];
  }

  get changed(): ISignal<IRunSelection, readonly string[]> {
    return this._selectionChanged;
  }

  // -- settings ----------------------------------------------------------------------

  /** Seconds between refreshes while no shown run is RUNNING; 0 = only on demand. */
  refreshInterval = 30;
  pageSize = 200;

  /** The experiment (name or id) to show until a person picks one. Settings load after
   * the panel may have opened, so a change is applied if nobody has picked yet. */
  get defaultExperiment(): string {
    return this._defaultExperiment;
  }
  set defaultExperiment(value: string) {
    if (value === this._defaultExperiment) {
      return;
    }
    this._defaultExperiment = value;
    const { experiments, experimentId } = this._state;
    if (!this._experimentChosen && experiments.length) {
      const wanted = this._pickExperiment(experiments);
      if (wanted !== experimentId) {
        void this.setExperiment(wanted);
      }
    }
  }

  /** A person picked an experiment: it wins over the default from now on. */
  chooseExperiment(experimentId: string | null): Promise<void> {
    this._experimentChosen = true;
    return this.setExperiment(experimentId);
  }

  setDefaultColumns(columns: readonly string[]): void {
    if (this._columnsChosen) {
      return; // a person's choice in this session wins over the settings
    }
    const params = columns.filter(c => c.startsWith('params.')).map(c => c.slice(7));
    const metrics = columns.filter(c => c.startsWith('metrics.')).map(c => c.slice(8));
    this._update({ params, metrics });
    if (this._state.experimentId !== null) {
      void this.reload();
    }
  }

  /** Whether a view shows the table; hidden tables do not poll. */
  set active(value: boolean) {
    if (this._active === value) {
      return;
    }
    this._active = value;
    if (value) {
      void (this._state.experiments.length ? this.refresh() : this.loadExperiments());
    } else {
      this._cancelTimer();
    }
  }

  // -- what to show ------------------------------------------------------------------

  async loadExperiments(): Promise<void> {
    try {
      const page = await this._service.listExperiments({ pageSize: 1000 });
      const experiments = page.experiments.filter(e => e.lifecycle_stage === 'active');
      const current = this._state.experimentId;
      const keep = experiments.some(e => e.experiment_id === current);
      this._update({ experiments });
      if (!keep) {
        await this.setExperiment(this._pickExperiment(experiments));
      } else {
        await this.refresh();
      }
    } catch (reason) {
      this._update({ phase: 'error', error: messageOf(reason) });
    }
  }

  async setExperiment(experimentId: string | null): Promise<void> {
    this._update({ experimentId, available: null, selected: new Set() });
    this._emitSelection();
    if (experimentId !== null) {
      void this._loadAvailable(experimentId);
    }
    await this.reload();
  }

  setFilterText(filter: string): void {
    this._update({ filter });
  }

  applyFilter(filter = this._state.filter): Promise<void> {
    this._update({ filter, appliedFilter: filter.trim() });
    return this.reload();
  }

  /** Sort by a column: a second click on the same column flips the direction. */
  sortBy(columnId: string): Promise<void> {
    const { sort } = this._state;
    const ascending = sort.columnId === columnId ? !sort.ascending : columnId === 'name';
    this._update({ sort: { columnId, ascending } });
    return this.reload();
  }

  setNotebookOnly(notebookOnly: boolean): Promise<void> {
    this._update({ notebookOnly });
    return this.reload();
  }

  setNotebookPath(notebookPath: string | null): void {
    if (notebookPath === this._state.notebookPath) {
      return;
    }
    this._update({ notebookPath });
    if (this._state.notebookOnly) {
      void this.reload();
    }
  }

  toggleColumn(id: string): Promise<void> {
    this._columnsChosen = true;
    const toggle = (keys: string[], key: string): string[] =>
      keys.includes(key) ? keys.filter(k => k !== key) : [...keys, key];
    if (id.startsWith('params.')) {
      this._update({ params: toggle(this._state.params, id.slice(7)) });
    } else if (id.startsWith('metrics.')) {
      this._update({ metrics: toggle(this._state.metrics, id.slice(8)) });
    }
    if (this._state.sort.columnId === id) {
      this._update({ sort: DEFAULT_SORT });
    }
    return this.reload();
  }

  // -- selection ---------------------------------------------------------------------

  toggleSelected(runId: string): void {
    const selected = new Set(this._state.selected);
    if (!selected.delete(runId)) {
      selected.add(runId);
    }
    this._update({ selected });
    this._emitSelection();
  }

  clearSelection(): void {
    this._update({ selected: new Set() });
    this._emitSelection();
  }

  // -- loading -----------------------------------------------------------------------

  /** Refresh if a view shows the table (a hidden one refreshes when it is shown). */
  refreshIfShown(): Promise<void> {
    return this._active ? this.refresh() : Promise.resolve();
  }

  /** Start again from the first page (the query changed). */
  reload(): Promise<void> {
    this._update({ rows: [], nextPageToken: null, phase: 'loading', error: null });
    return this._load(this.pageSize, null, 'replace');
  }

  /** Ask again for the experiments and the rows already shown, so statuses, metrics,
   * new runs and new experiments appear. */
  async refresh(): Promise<void> {
    if (this._state.experimentId === null) {
      return this.loadExperiments();
    }
    try {
      const page = await this._service.listExperiments({ pageSize: 1000 });
      this._update({ experiments: page.experiments.filter(e => e.lifecycle_stage === 'active') });
    } catch {
      // The runs request below reports what is wrong.
    }
    const shown = Math.min(Math.max(this._state.rows.length, this.pageSize), 1000);
    return this._load(shown, null, 'refresh');
  }

  /** A notebook started a `%%track` cell: look every second, until the cell ends or its
   * run shows as RUNNING (then the live refresh takes over), for its experiment and run.
   * The kernel may first spend seconds on earlier cells or imports. */
  async followTrackedCell(experimentName: string | null): Promise<void> {
    if (!this._active) {
      return; // a hidden panel asks nothing; it refreshes when shown
    }
    const following = { experimentName };
    this._following = following;
    const startedAt = Date.now();
    const until = startedAt + FOLLOW_LIMIT_MS;
    while (this._following === following && !this.isDisposed && Date.now() < until) {
      await new Promise(resolve => window.setTimeout(resolve, FOLLOW_STEP_MS));
      if (this._following !== following) {
        return;
      }
      const shown = await this._showExperimentOf(following.experimentName);
      const started = this._state.rows.some(
        r => r.status === 'RUNNING' && (r.start_time ?? 0) >= startedAt - CLOCK_SLACK_MS
      );
      if (shown && started) {
        this._following = null;
      }
    }
  }

  /** A tracked cell ended: show its experiment with the run's final status. */
  async trackedCellEnded(): Promise<void> {
    const following = this._following;
    this._following = null;
    if (!this._active) {
      return;
    }
    await this._showExperimentOf(following?.experimentName ?? null);
  }

  /** Refresh, switching to the named experiment once it exists; whether it is shown. */
  private async _showExperimentOf(experimentName: string | null): Promise<boolean> {
    await this.refresh();
    if (!experimentName) {
      return true;
    }
    const named = this._state.experiments.find(e => e.name === experimentName);
    if (!named) {
      return false;
    }
    if (named.experiment_id !== this._state.experimentId) {
      await this.setExperiment(named.experiment_id);
    }
    return true;
  }

  /** The next page, appended; a no-op while one is on its way or when there is none. */
  loadMore(): Promise<void> {
    const { nextPageToken, loadingMore, phase } = this._state;
    if (!nextPageToken || loadingMore || phase === 'loading') {
      return Promise.resolve();
    }
    this._update({ loadingMore: true });
    return this._load(this.pageSize, nextPageToken, 'append');
  }

  dispose(): void {
    this._cancelTimer();
    super.dispose();
  }

  private async _load(
    pageSize: number,
    pageToken: string | null,
    mode: 'replace' | 'refresh' | 'append'
  ): Promise<void> {
    const { experimentId } = this._state;
    if (experimentId === null) {
      this._update({ phase: 'ready', rows: [] });
      return;
    }
    const generation = mode === 'append' ? this._generation : ++this._generation;
    this._cancelTimer();
    const state = this._state;
    if (state.notebookOnly && state.notebookPath === null) {
      // "This notebook" with no notebook open lists nothing; the view says why.
      this._update({ phase: 'ready', rows: [], nextPageToken: null, loadingMore: false });
      return;
    }
    try {
      const page = await this._service.searchRuns({
        experimentIds: [experimentId],
        filter: state.appliedFilter,
        orderBy: orderBy(state.sort, this.columns),
        pageSize,
        pageToken,
        params: state.params,
        metrics: state.metrics,
        notebook: state.notebookOnly ? state.notebookPath : null
      });
      if (generation !== this._generation || this.isDisposed) {
        return; // a newer query has been asked for meanwhile
      }
      let rows: IRunRow[];
      let nextPageToken = page.next_page_token;
      if (mode === 'append') {
        const seen = new Set(state.rows.map(r => r.run_id));
        rows = [...this._state.rows, ...page.runs.filter(r => !seen.has(r.run_id))];
      } else if (mode === 'refresh' && this._state.rows.length > page.runs.length) {
        // Keep rows beyond the refreshed window (a long scroll), minus duplicates.
        const fresh = new Set(page.runs.map(r => r.run_id));
        rows = [...page.runs, ...this._state.rows.slice(page.runs.length).filter(r => !fresh.has(r.run_id))];
        nextPageToken = this._state.nextPageToken;
      } else {
        rows = page.runs;
      }
      this._update({
        rows,
        nextPageToken,
        phase: 'ready',
        loadingMore: false,
        error: null,
        filterError: null,
        loadedAt: Date.now()
      });
    } catch (reason) {
      if (generation !== this._generation || this.isDisposed) {
        return;
      }
      const status = (reason as { status?: number | null }).status;
      if (status === 400 && state.appliedFilter) {
        this._update({ phase: 'ready', loadingMore: false, filterError: messageOf(reason) });
      } else {
        this._update({ phase: 'error', loadingMore: false, error: messageOf(reason) });
      }
    }
    this._schedule();
  }

  private async _loadAvailable(experimentId: string): Promise<void> {
    try {
      const available = await this._service.getRunColumns([experimentId]);
      if (this._state.experimentId === experimentId) {
        this._update({ available });
      }
    } catch {
      // The column chooser then offers only the chosen columns; the table still works.
    }
  }

  private _pickExperiment(experiments: IExperimentView[]): string | null {
    const wanted = this._defaultExperiment.trim();
    const named = experiments.find(e => e.name === wanted || e.experiment_id === wanted);
    if (named) {
      return named.experiment_id;
    }
    // Most recently updated first: that is where the notebook just logged.
    const recent = [...experiments].sort(
      (a, b) => (b.last_update_time ?? 0) - (a.last_update_time ?? 0)
    );
    return recent[0]?.experiment_id ?? null;
  }

  private _schedule(): void {
    this._cancelTimer();
    if (!this._active || this.isDisposed) {
      return;
    }
    const running = this._state.rows.some(r => r.status === 'RUNNING');
    const delay = running ? LIVE_REFRESH_MS : this.refreshInterval * 1000;
    if (delay <= 0) {
      return;
    }
    this._timer = window.setTimeout(() => {
      this._timer = null;
      if (document.visibilityState === 'hidden') {
        this._schedule();
        return;
      }
      void this.refresh();
    }, delay);
  }

  private _cancelTimer(): void {
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _update(patch: Partial<IRunsTableState>): void {
    this._state = { ...this._state, ...patch };
    this.stateChanged.emit(void 0);
  }

  private _emitSelection(): void {
    this._selectionChanged.emit(this.runIds);
  }

  private _service: ILabtrackService;
  private _active = false;
  private _columnsChosen = false;
  private _experimentChosen = false;
  private _defaultExperiment = '';
  private _following: { experimentName: string | null } | null = null;
  private _generation = 0;
  private _timer: number | null = null;
  private _selectionChanged = new Signal<IRunSelection, readonly string[]>(this);
  private _state: IRunsTableState = {
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

export namespace RunsTableModel {
  export interface IOptions {
    service: ILabtrackService;
  }
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
