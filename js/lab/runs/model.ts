import { VDomModel } from '@jupyterlab/ui-components';
import { IPoll, Poll } from '@lumino/polling';

import { ILabtrackService, IStatus } from '../tokens';

/** What the Runs panel knows about the server and its backend. */
export interface IRunsPanelState {
  /** `loading` until the first answer, then `ready` or `failed` (the request itself failed). */
  phase: 'loading' | 'ready' | 'failed';
  status: IStatus | null;
  /** Why the status request failed, when `phase` is `failed`. */
  requestError: string | null;
  /** When the last answer (or failure) arrived, in ms since the epoch. */
  checkedAt: number | null;
}

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

  /** Ask the server for its status now. Never rejects: failures become state. */
  refresh(): Promise<void> {
    if (!this._pending) {
      this._pending = this._fetch().finally(() => {
        this._pending = null;
      });
    }
    return this._pending;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    super.dispose();
  }

  private async _fetch(): Promise<void> {
    let next: IRunsPanelState;
    try {
      const status = await this._service.getStatus();
      next = { phase: 'ready', status, requestError: null, checkedAt: Date.now() };
    } catch (reason) {
      next = {
        phase: 'failed',
        status: null,
        requestError: reason instanceof Error ? reason.message : String(reason),
        checkedAt: Date.now()
      };
    }
    if (this.isDisposed) {
      return;
    }
    this._state = next;
    this.stateChanged.emit(void 0);
  }

  private _service: ILabtrackService;
  private _poll: Poll;
  private _active = false;
  private _pending: Promise<void> | null = null;
  private _state: IRunsPanelState = {
    phase: 'loading',
    status: null,
    requestError: null,
    checkedAt: null
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
