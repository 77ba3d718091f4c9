import { messageOf } from '../../common/errors';
import { StateModel } from '../state-model';
import { ILabtrackService, IRunFamily, IRunRow } from '../tokens';
import { orderBy } from './columns';
import { searchScope, TRASH } from './scope';
import { RunsTableModel } from './table-model';
import { ITreeRow, PARENT_TAG, treeRows } from './tree';

/** Runs asked about per `runs/families` request (the server's limit). */
const FAMILY_BATCH = 1000;
/** Children fetched when a parent is expanded (one page of the server's largest). */
const CHILDREN_PAGE = 1000;

export interface IRunTreeState {
  expanded: ReadonlySet<string>;
  families: ReadonlyMap<string, IRunFamily>;
  /** Children fetched for expanded parents, in the table's order and filter. */
  children: ReadonlyMap<string, readonly IRunRow[]>;
  loading: ReadonlySet<string>;
  /** The run whose name is being edited in place, if any. */
  renaming: string | null;
  /** Why the last child fetch failed. */
  error: string | null;
}

/** The Runs table as a tree: which parents are expanded, their children and counts, and
 * the row being renamed. Follows the table model: a new query fetches expanded parents'
 * children again, every load asks the server for the child counts of the rows. */
export class RunTreeModel extends StateModel<IRunTreeState> {
  constructor(
    private readonly _service: ILabtrackService,
    readonly table: RunsTableModel
  ) {
    super({
      expanded: new Set(),
      families: new Map(),
      children: new Map(),
      loading: new Set(),
      renaming: null,
      error: null
    });
    table.stateChanged.connect(this._tableChanged, this);
  }

  /** The rows as shown (memoised on the table's rows and this state). */
  get rows(): ITreeRow[] {
    const rows = this.table.state.rows;
    if (rows !== this._shownFor.rows || this.state !== this._shownFor.state) {
      const { families, expanded, children, loading } = this.state;
      this._shown = treeRows({ rows, families, expanded, children, loading });
      this._shownFor = { rows, state: this.state };
    }
    return this._shown;
  }

  toggle(runId: string): Promise<void> {
    return this.state.expanded.has(runId) ? Promise.resolve(this.collapse(runId)) : this.expand(runId);
  }

  collapse(runId: string): void {
    const expanded = new Set(this.state.expanded);
    if (expanded.delete(runId)) {
      this.update({ expanded });
    }
  }

  async expand(runId: string): Promise<void> {
    if (!this.state.expanded.has(runId)) {
      this.update({ expanded: new Set(this.state.expanded).add(runId) });
    }
    await this._fetchChildren(runId);
  }

  startRename(runId: string): void {
    this.update({ renaming: runId });
  }

  stopRename(): void {
    this.update({ renaming: null });
  }

  dispose(): void {
    this.table.stateChanged.disconnect(this._tableChanged, this);
    super.dispose();
  }

  private _tableChanged(): void {
    const state = this.table.state;
    const query = [
      state.experimentId,
      state.appliedFilter,
      JSON.stringify(state.sort),
      state.notebookOnly,
      state.notebookPath,
      state.params.join(','),
      state.metrics.join(',')
    ].join('\u0000');
    if (query !== this._query) {
      this._query = query;
      // The new query's first load counts as new even within the old load's millisecond.
      this._loadedAt = null;
      this.update({ children: new Map(), error: null });
    }
    if (state.loadedAt !== this._loadedAt && state.phase === 'ready') {
      this._loadedAt = state.loadedAt;
      void this._fetchFamilies(state.rows);
      for (const runId of this.state.expanded) {
        if (state.rows.some(r => r.run_id === runId) || this._isKnownChild(runId)) {
          void this._fetchChildren(runId);
        }
      }
    }
  }

  private _isKnownChild(runId: string): boolean {
    return [...this.state.children.values()].some(list => list.some(r => r.run_id === runId));
  }

  /** Counts for the rows of the first window and any not asked about yet. */
  private async _fetchFamilies(rows: readonly IRunRow[]): Promise<void> {
    if (this.table.state.experimentId === TRASH) {
      return; // deleted parents: their loaded children are counted, nothing more
    }
    const ids = rows
      .map(r => r.run_id)
      .filter((id, index) => index < FAMILY_BATCH || !this._asked.has(id));
    for (let start = 0; start < ids.length; start += FAMILY_BATCH) {
      const batch = ids.slice(start, start + FAMILY_BATCH);
      try {
        const answer = await this._service.getRunFamilies(batch);
        if (this.isDisposed) {
          return;
        }
        const families = new Map(this.state.families);
        batch.forEach(id => {
          this._asked.add(id);
          families.delete(id);
        });
        answer.families.forEach(family => families.set(family.run_id, family));
        this.update({ families });
      } catch {
        return; // counts then come from the loaded children; the table itself still works
      }
    }
  }

  private async _fetchChildren(runId: string): Promise<void> {
    const state = this.table.state;
    if (state.experimentId === null || runId.includes("'")) {
      return;
    }
    const clause = `tags.\`${PARENT_TAG}\` = '${runId}'`;
    const filter = state.appliedFilter ? `${clause} and ${state.appliedFilter}` : clause;
    const query = this._query;
    this.update({ loading: new Set(this.state.loading).add(runId) });
    let update: Partial<IRunTreeState>;
    try {
      const page = await this._service.searchRuns({
        ...searchScope(state.experimentId),
        // A child may live in another experiment than its parent.
        experimentIds: 'all',
        filter,
        orderBy: orderBy(state.sort, this.table.columns),
        pageSize: CHILDREN_PAGE,
        params: state.params,
        metrics: state.metrics,
        tags: [PARENT_TAG],
        notebook: state.notebookOnly ? state.notebookPath : null
      });
      update = { children: new Map(this.state.children).set(runId, page.runs), error: null };
    } catch (reason) {
      update = { error: messageOf(reason) };
    }
    if (this.isDisposed) {
      return;
    }
    const loading = new Set(this.state.loading);
    loading.delete(runId);
    this.update(query === this._query ? { ...update, loading } : { loading });
  }

  private _asked = new Set<string>();
  private _query = '';
  private _loadedAt: number | null = null;
  private _shown: ITreeRow[] = [];
  private _shownFor: { rows: readonly IRunRow[] | null; state: IRunTreeState | null } = {
    rows: null,
    state: null
  };
}
