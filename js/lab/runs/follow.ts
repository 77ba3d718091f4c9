// Following a `%%track` cell from the Runs table: when a notebook starts one, the table looks
// every second for the cell's experiment and its RUNNING run (the kernel may first spend
// seconds on earlier cells or imports); when the cell ends, it shows the final status.
import { IExperimentView, IRunRow } from '../tokens';

/** How often, and how long at most, to look for the run of a `%%track` cell just started. */
const FOLLOW_STEP_MS = 1000;
const FOLLOW_LIMIT_MS = 60_000;
/** The kernel's clock and the browser's may differ a little (same machine or not). */
const CLOCK_SLACK_MS = 5 * 60_000;

/** What the follower needs of the Runs table. */
export interface IFollowedTable {
  /** Whether a view shows the table: a hidden one asks nothing (it refreshes when shown). */
  readonly active: boolean;
  readonly isDisposed: boolean;
  readonly state: {
    readonly experiments: readonly IExperimentView[];
    readonly experimentId: string | null;
    readonly rows: readonly IRunRow[];
  };
  refresh(): Promise<void>;
  setExperiment(experimentId: string | null): Promise<void>;
}

export class TrackedCellFollower {
  constructor(table: IFollowedTable) {
    this._table = table;
  }

  /** A cell started, logging to `experimentName` (null: the default experiment): look until
   * the cell ends or its run shows as RUNNING (then the table's live refresh takes over). */
  async follow(experimentName: string | null): Promise<void> {
    const table = this._table;
    if (!table.active) {
      return;
    }
    const following = { experimentName };
    this._following = following;
    const startedAt = Date.now();
    const until = startedAt + FOLLOW_LIMIT_MS;
    while (this._following === following && !table.isDisposed && Date.now() < until) {
      await new Promise(resolve => window.setTimeout(resolve, FOLLOW_STEP_MS));
      if (this._following !== following) {
        return;
      }
      const shown = await this._showExperimentOf(following.experimentName);
      const started = table.state.rows.some(
        r => r.status === 'RUNNING' && (r.start_time ?? 0) >= startedAt - CLOCK_SLACK_MS
      );
      if (shown && started) {
        this._following = null;
      }
    }
  }

  /** The cell ended: show its experiment with the run's final status. */
  async ended(): Promise<void> {
    const following = this._following;
    this._following = null;
    if (!this._table.active) {
      return;
    }
    await this._showExperimentOf(following?.experimentName ?? null);
  }

  /** Refresh, switching to the named experiment once it exists; whether it is shown. */
  private async _showExperimentOf(experimentName: string | null): Promise<boolean> {
    const table = this._table;
    await table.refresh();
    if (!experimentName) {
      return true;
    }
    const named = table.state.experiments.find(e => e.name === experimentName);
    if (!named) {
      return false;
    }
    if (named.experiment_id !== table.state.experimentId) {
      await table.setExperiment(named.experiment_id);
    }
    return true;
  }

  private _table: IFollowedTable;
  private _following: { experimentName: string | null } | null = null;
}
