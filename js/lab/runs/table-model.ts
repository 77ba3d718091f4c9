import { ISignal, Signal } from '@lumino/signaling';

import { messageOf } from '../../common/errors';
import { StateModel } from '../state-model';
import {
  IExperimentView,
  ILabtrackService,
  IRunColumns,
  IRunRow,
  IRunSelection
} from '../tokens';
import { DEFAULT_SORT, ISortOrder, IRunColumn, orderBy, scopeColumns, tableColumns } from './columns';
import { newestRunExperiment, TrackedCellFollower } from './follow';
import { columnScope, isScope, searchScope } from './scope';
import { activeExperiments, initialTableState, joinPage, PageMode, pickExperiment } from './table-rows';
import { PARENT_TAG } from './tree';

/** How often a table showing RUNNING runs asks for fresh statuses. */
export const LIVE_REFRESH_MS = 2000;

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
export class RunsTableModel extends StateModel<IRunsTableState> implements IRunSelection {
  constructor(options: RunsTableModel.IOptions) {
    super(initialTableState());
    this._service = options.service;
  }

  get columns(): IRunColumn[] {
    return scopeColumns(tableColumns(this.state.params, this.state.metrics), this.state);
  }

  // -- IRunSelection ---------------------------------------------------------------

  get runIds(): readonly string[] {
    return [...this.state.selected];
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
    const { experiments, experimentId } = this.state;
    if (!this._experimentChosen && experiments.length) {
      const wanted = pickExperiment(experiments, this._defaultExperiment);
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
    this.update({ params, metrics });
    if (this.state.experimentId !== null) {
      void this.reload();
    }
  }

  /** Whether a view shows the table; hidden tables do not poll. */
  get active(): boolean {
    return this._active;
  }
  set active(value: boolean) {
    if (this._active === value) {
      return;
    }
    this._active = value;
    if (value) {
      void (this.state.experiments.length ? this.refresh() : this.loadExperiments());
    } else {
      this._cancelTimer();
    }
  }

  // -- what to show ------------------------------------------------------------------

  async loadExperiments(): Promise<void> {
    try {
      const page = await this._service.listExperiments({ pageSize: 1000 });
      const experiments = activeExperiments(page.experiments);
      const current = this.state.experimentId;
      const keep = isScope(current) || experiments.some(e => e.experiment_id === current);
      this.update({ experiments });
      if (!keep) {
        await this.setExperiment(pickExperiment(experiments, this._defaultExperiment));
      } else {
        await this.refresh();
      }
    } catch (reason) {
      this.update({ phase: 'error', error: messageOf(reason) });
    }
  }

  async setExperiment(experimentId: string | null): Promise<void> {
    this.update({ experimentId, available: null, selected: new Set() });
    this._emitSelection();
    if (experimentId !== null) {
      void this._loadAvailable(experimentId);
    }
    await this.reload();
  }

  setFilterText(filter: string): void {
    this.update({ filter });
  }

  applyFilter(filter = this.state.filter): Promise<void> {
    this.update({ filter, appliedFilter: filter.trim() });
    return this.reload();
  }

  /** Sort by a column: a second click on the same column flips the direction. */
  sortBy(columnId: string): Promise<void> {
    const { sort } = this.state;
    const ascending = sort.columnId === columnId ? !sort.ascending : columnId === 'name';
    this.update({ sort: { columnId, ascending } });
    return this.reload();
  }

  setNotebookOnly(notebookOnly: boolean): Promise<void> {
    this.update({ notebookOnly });
    return this.reload();
  }

  setNotebookPath(notebookPath: string | null): void {
    if (notebookPath === this.state.notebookPath) {
      return;
    }
    this.update({ notebookPath });
    if (this.state.notebookOnly) {
      void this.reload();
    }
  }

  toggleColumn(id: string): Promise<void> {
    this._columnsChosen = true;
    const toggle = (keys: string[], key: string): string[] =>
      keys.includes(key) ? keys.filter(k => k !== key) : [...keys, key];
    if (id.startsWith('params.')) {
      this.update({ params: toggle(this.state.params, id.slice(7)) });
    } else if (id.startsWith('metrics.')) {
      this.update({ metrics: toggle(this.state.metrics, id.slice(8)) });
    }
    if (this.state.sort.columnId === id) {
      this.update({ sort: DEFAULT_SORT });
    }
    return this.reload();
  }

  // -- selection ---------------------------------------------------------------------

  toggleSelected(runId: string): void {
    const selected = new Set(this.state.selected);
    if (!selected.delete(runId)) {
      selected.add(runId);
    }
    this.update({ selected });
    this._emitSelection();
  }

  clearSelection(): void {
    this.update({ selected: new Set() });
    this._emitSelection();
  }

  // -- loading -----------------------------------------------------------------------

  /** Refresh if a view shows the table (a hidden one refreshes when it is shown). */
  refreshIfShown(): Promise<void> {
    return this._active ? this.refresh() : Promise.resolve();
  }

  /** Start again from the first page (the query changed). */
  reload(): Promise<void> {
    this.update({ rows: [], nextPageToken: null, phase: 'loading', error: null });
    return this._load(this.pageSize, null, 'replace');
  }

  /** Ask again for the experiments and the rows already shown, so statuses, metrics,
   * new runs and new experiments appear. */
  async refresh(): Promise<void> {
    if (this.state.experimentId === null) {
      return this.loadExperiments();
    }
    try {
      const page = await this._service.listExperiments({ pageSize: 1000 });
      this.update({ experiments: activeExperiments(page.experiments) });
    } catch {
      // The runs request below reports what is wrong.
    }
    const shown = Math.min(Math.max(this.state.rows.length, this.pageSize), 1000);
    return this._load(shown, null, 'refresh');
  }

  /** A notebook started a `%%track` cell logging to `experimentName`: show its run. */
  followTrackedCell(experimentName: string | null): Promise<void> {
    return this._follower.follow(experimentName);
  }

  /** A tracked cell ended: show its experiment with the run's final status. */
  trackedCellEnded(): Promise<void> {
    return this._follower.ended();
  }

  experimentOfNewestRun(since: number): Promise<string | null> {
    return newestRunExperiment(this._service, this.state, since);
  }

  /** The next page, appended; a no-op while one is on its way or when there is none. */
  loadMore(): Promise<void> {
    const { nextPageToken, loadingMore, phase } = this.state;
    if (!nextPageToken || loadingMore || phase === 'loading') {
      return Promise.resolve();
    }
    this.update({ loadingMore: true });
    return this._load(this.pageSize, nextPageToken, 'append');
  }

  dispose(): void {
    this._cancelTimer();
    super.dispose();
  }

  private async _load(pageSize: number, pageToken: string | null, mode: PageMode): Promise<void> {
    const { experimentId } = this.state;
    if (experimentId === null) {
      this.update({ phase: 'ready', rows: [] });
      return;
    }
    const generation = mode === 'append' ? this._generation : ++this._generation;
    this._cancelTimer();
    const state = this.state;
    if (state.notebookOnly && state.notebookPath === null) {
      // "This notebook" with no notebook open lists nothing; the view says why.
      this.update({ phase: 'ready', rows: [], nextPageToken: null, loadingMore: false });
      return;
    }
    try {
      const page = await this._service.searchRuns({
        ...searchScope(experimentId), // one experiment, all of them, or the Trash
        filter: state.appliedFilter,
        orderBy: orderBy(state.sort, this.columns),
        pageSize,
        pageToken,
        params: state.params,
        metrics: state.metrics,
        tags: [PARENT_TAG], // the run tree nests children under their parent
        notebook: state.notebookOnly ? state.notebookPath : null
      });
      if (generation !== this._generation || this.isDisposed) {
        return; // a newer query has been asked for meanwhile
      }
      this.update({
        ...joinPage(this.state, page, mode),
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
        this.update({ phase: 'ready', loadingMore: false, filterError: messageOf(reason) });
      } else {
        this.update({ phase: 'error', loadingMore: false, error: messageOf(reason) });
      }
    }
    this._schedule();
  }

  private async _loadAvailable(experimentId: string): Promise<void> {
    try {
      const available = await this._service.getRunColumns(columnScope(experimentId));
      if (this.state.experimentId === experimentId) {
        this.update({ available });
      }
    } catch {
      // The column chooser then offers only the chosen columns; the table still works.
    }
  }

  private _schedule(): void {
    this._cancelTimer();
    if (!this._active || this.isDisposed) {
      return;
    }
    const running = this.state.rows.some(r => r.status === 'RUNNING');
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

  private _emitSelection(): void {
    this._selectionChanged.emit(this.runIds);
  }

  private _service: ILabtrackService;
  private _active = false;
  private _columnsChosen = false;
  private _experimentChosen = false;
  private _defaultExperiment = '';
  private _follower = new TrackedCellFollower(this);
  private _generation = 0;
  private _timer: number | null = null;
  private _selectionChanged = new Signal<IRunSelection, readonly string[]>(this);
}

export namespace RunsTableModel {
  export interface IOptions {
    service: ILabtrackService;
  }
}
