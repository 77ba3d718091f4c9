// Following a `%%track` cell from the Runs table: when a notebook starts one, the table looks
// every second for the cell's experiment and its RUNNING run (the kernel may first spend
// seconds on earlier cells or imports); when the cell ends, it shows the final status.
// The cell may name its experiment (`--experiment`), or its code may choose one
// (`mlflow.set_experiment(...)`, a variable, `start_run(experiment_id=…)`) that no pattern
// can read: then the newest run the notebook started since the cell began tells which.
import { IExperimentView, ILabtrackService, IRunRow } from '../tokens';

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
  /** The experiment of the newest run the open notebook started since `since` (epoch ms),
   * or null (none yet, or no notebook open). */
  experimentOfNewestRun(since: number): Promise<string | null>;
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
    const startedAt = Date.now();
    const following = { experimentName, startedAt };
    this._following = following;
    const until = startedAt + FOLLOW_LIMIT_MS;
    while (this._following === following && !table.isDisposed && Date.now() < until) {
      await new Promise(resolve => window.setTimeout(resolve, FOLLOW_STEP_MS));
      if (this._following !== following) {
        return;
      }
      const shown = await this._showExperimentOf(following.experimentName, startedAt);
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
    await this._showExperimentOf(following?.experimentName ?? null, following?.startedAt ?? null);
  }

  /** Refresh, switching to the named experiment once it exists (or, unnamed, to the one
   * the notebook's newest run went to); whether it is shown. */
  private async _showExperimentOf(experimentName: string | null, since: number | null): Promise<boolean> {
    const table = this._table;
    await table.refresh();
    let experimentId: string | null = null;
    if (experimentName) {
      experimentId = table.state.experiments.find(e => e.name === experimentName)?.experiment_id ?? null;
    } else if (since !== null) {
      try {
        experimentId = await table.experimentOfNewestRun(since - CLOCK_SLACK_MS);
      } catch {
        experimentId = null; // the server is busy or away: the table says so; look again
      }
      if (experimentId === null) {
        return false; // no run yet: look again
      }
    } else {
      return true;
    }
    if (experimentId === null) {
      return false;
    }
    if (experimentId !== table.state.experimentId) {
      await table.setExperiment(experimentId);
    }
    return true;
  }

  private _table: IFollowedTable;
  private _following: { experimentName: string | null; startedAt: number } | null = null;
}

/** The experiment of the newest run `state.notebookPath` started at or after `since`,
 *  searched in every active experiment (one request); null when there is none. */
export async function newestRunExperiment(
  service: ILabtrackService,
  state: { experiments: readonly IExperimentView[]; notebookPath: string | null },
  since: number
): Promise<string | null> {
  const { experiments, notebookPath } = state;
  if (notebookPath === null || !experiments.length) {
    return null;
  }
  const page = await service.searchRuns({
    experimentIds: experiments.map(e => e.experiment_id),
    filter: `attributes.start_time >= ${Math.max(0, Math.floor(since))}`,
    orderBy: ['attributes.start_time DESC'],
    pageSize: 1,
    notebook: notebookPath
  });
  return page.runs[0]?.experiment_id ?? null;
}

