import { VDomModel } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';

import { messageOf } from '../../common/errors';
import { IEditedRun, ILabtrackService, IMetricSeries, IRunDetail } from '../tokens';
import { SingleFlight } from '../single-flight';
import { isSystemMetric } from '../../plots/system-metrics';
import { ArtifactTreeModel } from './artifacts';
import { MediaModel } from './media-model';

/** Sparklines ask for this many points: enough for a shape, cheap for long histories. */
export const SPARKLINE_POINTS = 64;
/** Metrics beyond this many are listed without a sparkline (one request each). */
const MAX_SPARKLINES = 40;
/** How often a RUNNING run is read again. */
export const LIVE_REFRESH_MS = 3000;

/** Whether the notebook behind a run was found under the server root. */
export interface INotebookLink {
  phase: 'checking' | 'found' | 'missing';
  /** The contents path (relative to the server root) when found. */
  path: string | null;
  /** Why the button is disabled, when missing. */
  reason: string;
}

export interface IRunDetailsState {
  phase: 'loading' | 'ready' | 'failed';
  detail: IRunDetail | null;
  error: string | null;
  sparklines: Readonly<Record<string, IMetricSeries>>;
  notebook: INotebookLink;
  /** A notebook is open and active, so code can be inserted into it. */
  canInsert: boolean;
  /** Why the last change (rename, description, tag) was refused; null after one succeeds. */
  editError: string | null;
}

/** Finds the contents path of the notebook that produced a run, or says why not. */
export type NotebookLocator = (detail: IRunDetail) => Promise<INotebookLink>;

/** One run's details: read through the typed service, refreshed while the run is RUNNING. */
export class RunDetailsModel extends VDomModel {
  constructor(options: RunDetailsModel.IOptions) {
    super();
    this.runId = options.runId;
    this._service = options.service;
    this._locateNotebook = options.locateNotebook;
    this._changed = options.changed ?? (() => undefined);
    this.artifacts = new ArtifactTreeModel(options.service, options.runId);
    this.artifacts.changed.connect(() => this.stateChanged.emit(void 0));
    this.media = new MediaModel(options.service, options.runId);
    this._poll = new Poll({
      name: `labtrack:run-details#${options.runId}`,
      factory: () => this.refresh(),
      frequency: { interval: LIVE_REFRESH_MS, backoff: false },
      // Read again only while the run is live; a finished run does not change.
      standby: () => (this.isRunning ? 'when-hidden' : true),
      auto: false
    });
  }

  readonly runId: string;
  readonly artifacts: ArtifactTreeModel;
  /** The run's images (the Media section keeps itself up to date from it). */
  readonly media: MediaModel;

  get service(): ILabtrackService {
    return this._service;
  }

  get state(): Readonly<IRunDetailsState> {
    return this._state;
  }

  get isRunning(): boolean {
    return this._state.detail?.info.status === 'RUNNING';
  }

  set canInsert(value: boolean) {
    this._update({ canInsert: value });
  }

  /** First load: details, sparklines, the artifact root and the notebook check. */
  async start(): Promise<void> {
    await this.refresh();
    void this.artifacts.load('');
    void this.media.load();
    void this._checkNotebook();
    void this._poll.start();
  }

  /** Read the run again; never rejects (failures become state). */
  refresh(): Promise<void> {
    return this._reading.run();
  }

  // -- changes: each answers with the run as it now is ------------------------------

  /** Rename the run; false (and `editError`) when the server refused. */
  rename(name: string): Promise<boolean> {
    return this._edit(() => this._service.editRun(this.runId, { name }));
  }

  /** Set the description (Markdown, MLflow's `mlflow.note.content`); empty removes it. */
  describe(description: string): Promise<boolean> {
    return this._edit(() => this._service.editRun(this.runId, { description }));
  }

  setTag(key: string, value: string): Promise<boolean> {
    return this._edit(() => this._service.setRunTag(this.runId, key, value));
  }

  deleteTag(key: string): Promise<boolean> {
    return this._edit(() => this._service.deleteRunTag(this.runId, key));
  }

  dismissEditError(): void {
    this._update({ editError: null });
  }

  private async _edit(change: () => Promise<IEditedRun>): Promise<boolean> {
    try {
      const edited = await change();
      const detail = this._state.detail;
      if (!this.isDisposed && detail) {
        const info = { ...detail.info, run_name: edited.run_name, status: edited.status };
        this._update({ detail: { ...detail, info, tags: edited.tags }, editError: null });
      }
      this._changed(this.runId);
      return true;
    } catch (reason) {
      if (!this.isDisposed) {
        this._update({ editError: messageOf(reason) });
      }
      return false;
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    this.artifacts.dispose();
    this.media.dispose();
    super.dispose();
  }

  private async _fetch(): Promise<void> {
    const wasRunning = this.isRunning;
    try {
      const detail = await this._service.getRun(this.runId);
      if (this.isDisposed) {
        return;
      }
      this._update({ phase: 'ready', detail, error: null });
      await this._fetchSparklines(detail);
      if (wasRunning) {
        void this.media.load(); // images logged since; the last ones when it just ended
      }
      if (wasRunning && !this.isRunning) {
        // The run just ended: it may have logged its last artifacts.
        void this.artifacts.load('', true);
      }
    } catch (reason) {
      if (!this.isDisposed) {
        const error = messageOf(reason);
        // Keep what was shown before a transient failure; say what went wrong.
        this._update({ phase: this._state.detail ? 'ready' : 'failed', error });
      }
    }
  }

  private async _fetchSparklines(detail: IRunDetail): Promise<void> {
    const keys = Object.keys(detail.metrics)
      .filter(key => !isSystemMetric(key)) // drawn in the System section
      .sort()
      .slice(0, MAX_SPARKLINES);
    const answers = await Promise.all(
      keys.map(key =>
        this._service
          .getMetricHistory(this.runId, key, { maxPoints: SPARKLINE_POINTS })
          .catch(() => null)
      )
    );
    const sparklines: Record<string, IMetricSeries> = {};
    answers.forEach((series, index) => {
      if (series) {
        sparklines[keys[index]] = series;
      }
    });
    if (!this.isDisposed) {
      this._update({ sparklines });
    }
  }

  private async _checkNotebook(): Promise<void> {
    const detail = this._state.detail;
    if (!detail) {
      this._update({ notebook: { phase: 'missing', path: null, reason: 'Run not loaded' } });
      return;
    }
    const notebook = await this._locateNotebook(detail);
    if (!this.isDisposed) {
      this._update({ notebook });
    }
  }

  private _update(change: Partial<IRunDetailsState>): void {
    this._state = { ...this._state, ...change };
    this.stateChanged.emit(void 0);
  }

  private _service: ILabtrackService;
  private _locateNotebook: NotebookLocator;
  private _changed: (runId: string) => void;
  private _poll: Poll;
  private _reading = new SingleFlight(() => this._fetch());
  private _state: IRunDetailsState = {
    phase: 'loading',
    detail: null,
    error: null,
    sparklines: {},
    notebook: { phase: 'checking', path: null, reason: 'Looking for the notebook…' },
    canInsert: false,
    editError: null
  };
}

export namespace RunDetailsModel {
  export interface IOptions {
    runId: string;
    service: ILabtrackService;
    locateNotebook: NotebookLocator;
    /** Told after each change, so other panels (the Runs table) read the run again. */
    changed?: (runId: string) => void;
  }
}
