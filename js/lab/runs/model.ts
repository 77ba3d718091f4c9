import { VDomModel } from '@jupyterlab/ui-components';
import { IPoll, Poll } from '@lumino/polling';

import { messageOf } from '../../common/errors';
import { SingleFlight } from '../single-flight';
import { ILabtrackService, IOfflineBacklog, IStatus, ISyncOutcome } from '../tokens';

/** What the Runs panel knows about the server and its backend. */
export interface IRunsPanelState {
  /** `loading` until the first answer, then `ready` or `failed` (the request itself failed). */
  phase: 'loading' | 'ready' | 'failed';
  status: IStatus | null;
  /** Why the status request failed, when `phase` is `failed`. */
  requestError: string | null;
  /** When the last answer (or failure) arrived, in ms since the epoch. */
  checkedAt: number | null;
  /** What waits to be sent to the tracking server; null until known (or when the
   * request failed: the panel then shows no banner rather than a wrong one). */
  offline: IOfflineBacklog | null;
  sync: ISyncState;
}

/** The "Sync now" button: idle, sending, or what the last sync said. */
export interface ISyncState {
  phase: 'idle' | 'syncing' | 'done' | 'failed';
  outcome: ISyncOutcome | null;
  /** Why the sync request itself failed (`failed`). */
  error: string | null;
}

const IDLE_SYNC: ISyncState = { phase: 'idle', outcome: null, error: null };

/** Holds the Runs panel's state and refreshes it from the server; the view only renders it. */
export class RunsPanelModel extends VDomModel {
  constructor(options: RunsPanelModel.IOptions) {
    super();
    this._service = options.service;
    this._poll = new Poll({
      name: 'labtrack:runs-panel#status',
      factory: () => this.refresh(),
      frequency: RunsPanelModel.frequency(options.refreshInterval ?? 30),
      // Only poll while the panel is shown and the browser tab is visible.
      standby: () => (this._active ? 'when-hidden' : true)
    });
  }

  get state(): Readonly<IRunsPanelState> {
    return this._state;
  }

  /** Whether a view shows this model; an inactive model does not poll. */
  get active(): boolean {
    return this._active;
  }
  set active(value: boolean) {
    if (this._active === value) {
      return;
    }
    this._active = value;
    if (value) {
      void this._poll.refresh();
    }
  }

  /** Seconds between two status checks while active; 0 checks only on demand. */
  set refreshInterval(seconds: number) {
    this._poll.frequency = RunsPanelModel.frequency(seconds);
  }

  /** Send what waits offline now, then ask again for the status and the backlog.
   * Never rejects: failures become `state.sync`. */
  async syncOffline(): Promise<void> {
    if (this._state.sync.phase === 'syncing') {
      return;
    }
    this._update({ sync: { phase: 'syncing', outcome: null, error: null } });
    let sync: ISyncState;
    try {
      const outcome = await this._service.syncOffline();
      sync = { phase: 'done', outcome, error: null };
    } catch (reason) {
      sync = { phase: 'failed', outcome: null, error: messageOf(reason) };
    }
    if (this.isDisposed) {
      return;
    }
    this._update({ sync });
    await this.refresh();
  }

  /** Hide the last sync's result. */
  dismissSync(): void {
    if (this._state.sync.phase !== 'syncing') {
      this._update({ sync: IDLE_SYNC });
    }
  }

  /** Ask the server for its status and offline backlog now. Never rejects: failures
   * become state. */
  refresh(): Promise<void> {
    return this._reading.run();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    super.dispose();
  }

  private async _fetch(): Promise<void> {
    // The backlog is read from this machine's disk: it answers while the server is away.
    const offline = this._service.getOfflineBacklog().catch(() => null);
    let next: Pick<IRunsPanelState, 'phase' | 'status' | 'requestError' | 'checkedAt'>;
    try {
      const status = await this._service.getStatus();
      next = { phase: 'ready', status, requestError: null, checkedAt: Date.now() };
    } catch (reason) {
      next = {
        phase: 'failed',
        status: null,
        requestError: messageOf(reason),
        checkedAt: Date.now()
      };
    }
    const backlog = await offline;
    if (this.isDisposed) {
      return;
    }
    // "Unreachable" from an earlier sync is stale once the server answers again.
    const { sync } = this._state;
    const stale = next.status?.reachable === true && sync.outcome?.reachable === false;
    this._update({ ...next, offline: backlog, ...(stale ? { sync: IDLE_SYNC } : {}) });
  }

  private _update(patch: Partial<IRunsPanelState>): void {
    this._state = { ...this._state, ...patch };
    this.stateChanged.emit(void 0);
  }

  private _service: ILabtrackService;
  private _poll: Poll;
  private _active = false;
  private _reading = new SingleFlight(() => this._fetch());
  private _state: IRunsPanelState = {
    phase: 'loading',
    status: null,
    requestError: null,
    checkedAt: null,
    offline: null,
    sync: IDLE_SYNC
  };
}

export namespace RunsPanelModel {
  export interface IOptions {
    service: ILabtrackService;
    /** Seconds between status checks while the panel is shown (default 30; 0 = never). */
    refreshInterval?: number;
  }

  export function frequency(seconds: number): IPoll.Frequency {
    const interval = seconds > 0 ? seconds * 1000 : Poll.NEVER;
    return { interval, max: Math.max(interval, 5 * 60 * 1000), backoff: false };
  }
}
