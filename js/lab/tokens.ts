import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import type {
  IAliasRequest,
  IApprovalRequest,
  IApprovalState,
  IArtifactListing,
  IAuditTrail,
  ICompareAtStep,
  ICompareMatrix,
  IEditedRun,
  IExperimentPage,
  ILifecycleOutcome,
  IMediaIndex,
  IMediaPage,
  IMetricSeries,
  IModelDetail,
  IModelPage,
  IModelVersionView,
  IOfflineBacklog,
  IRegisterRequest,
  IRollbackRequest,
  IRunColumns,
  IRunDetail,
  IRunEditRequest,
  IRunFamilies,
  IRunPage,
  IStageRequest,
  IStatus,
  ISyncOutcome
} from './generated/contract';

// The shapes of the REST API under {baseUrl}labtrack/api/ (docs/rest-api.md): generated
// from the Python dataclasses of labtrack.server.contract, never written by hand.
export * from './generated/contract';

/** A page of runs to ask for: `GET runs`. Only the listed param/metric/tag keys are read. */
export interface IRunSearch {
  /** The experiments to search, or `'all'`: every active experiment. */
  experimentIds: string[] | 'all';
  /** `deleted`: the Trash (runs MLflow soft-deleted); default the active runs. */
  lifecycle?: 'active' | 'deleted';
  /** An MLflow filter string; the server answers 400 with a message when it is malformed. */
  filter?: string;
  /** e.g. `['metrics.loss ASC', 'attributes.start_time DESC']`; default newest first. */
  orderBy?: string[];
  /** 1–1000 (default 100). */
  pageSize?: number;
  pageToken?: string | null;
  params?: string[];
  metrics?: string[];
  tags?: string[];
  /** Only the runs of this notebook path (`mlflow.source.name`). */
  notebook?: string | null;
}

/** A page of experiments or models to ask for. */
export interface INamedPageQuery {
  /** Case-insensitive substring of the name. */
  name?: string;
  pageSize?: number;
  pageToken?: string | null;
}

export interface IMetricHistoryOptions {
  /** 4–10000 (default 1000): longer histories come back min/max reduced. */
  maxPoints?: number;
  /** Only points after this step (incremental updates). */
  afterStep?: number | null;
}

/** A page of a run's images to ask for: `GET runs/{id}/media/items`. */
export interface IMediaPageQuery {
  key: string;
  /** `stepped` (a `log_image` key, the default) or `files` (image artifacts). */
  kind?: string;
  offset?: number;
  /** 1–200 (default 24). */
  limit?: number;
  /** Start at the image whose step is nearest this one (instead of `offset`). */
  step?: number | null;
}

/** The one typed client of the labtrack server extension. Every method rejects with a
 * `LabtrackResponseError` carrying the server's message when the server answers an error. */
export interface ILabtrackService {
  /** Fetch the server's view of the tracking backend. */
  getStatus(): Promise<IStatus>;
  listExperiments(query?: INamedPageQuery): Promise<IExperimentPage>;
  searchRuns(search: IRunSearch): Promise<IRunPage>;
  /** The keys runs of these experiments (or of all) have (for a column chooser). */
  getRunColumns(experimentIds: string[] | 'all'): Promise<IRunColumns>;
  getRun(runId: string): Promise<IRunDetail>;
  getMetricHistory(
    runId: string,
    key: string,
    options?: IMetricHistoryOptions
  ): Promise<IMetricSeries>;
  /** One directory level of a run's artifacts; `path` is relative to the artifact root. */
  /** One page of one directory level; pass `pageToken` (`next_page_token`) for the next. */
  listArtifacts(runId: string, path?: string, pageToken?: string): Promise<IArtifactListing>;
  /** The bytes of one artifact file, fetched with Jupyter's auth. */
  fetchArtifact(runId: string, path: string): Promise<Blob>;
  /** The URL of one artifact file (served as an attachment, except raster images). */
  artifactUrl(runId: string, path: string): string;
  /** A run's image groups (log_image keys with their steps; image artifacts). */
  getMediaIndex(runId: string): Promise<IMediaIndex>;
  /** A page of one group's images (paths for `artifactUrl`/`fetchArtifact`). */
  getMediaPage(runId: string, query: IMediaPageQuery): Promise<IMediaPage>;
  /** Each metric's value at the logged step nearest `step`, per run (`keys` empty: all). */
  valuesAtStep(runIds: string[], step: number, keys?: string[]): Promise<ICompareAtStep>;
  /** Params and metrics of 1–1000 runs, one row per run in the order given. */
  compareRuns(runIds: string[]): Promise<ICompareMatrix>;
  /** Rename a run and/or set its description (MLflow's `mlflow.note.content`). */
  editRun(runId: string, request: IRunEditRequest): Promise<IEditedRun>;
  /** Set or remove one of a person's tags (`mlflow.*` and `labtrack.*` are refused). */
  setRunTag(runId: string, key: string, value: string): Promise<IEditedRun>;
  deleteRunTag(runId: string, key: string): Promise<IEditedRun>;
  /** Move 1–1000 runs to the Trash, or back; all or nothing (the error says which failed). */
  deleteRuns(runIds: readonly string[]): Promise<ILifecycleOutcome>;
  restoreRuns(runIds: readonly string[]): Promise<ILifecycleOutcome>;
  /** How many active children each of these runs has, by status (runs without are left out). */
  getRunFamilies(runIds: readonly string[]): Promise<IRunFamilies>;
  listModels(query?: INamedPageQuery): Promise<IModelPage>;
  getModel(name: string): Promise<IModelDetail>;
  /** The registry's write routes; each answers 409 with a message when approvals are
   * missing or the user approved already. */
  registerVersion(name: string, request: IRegisterRequest): Promise<IModelVersionView>;
  setAlias(name: string, alias: string, request: IAliasRequest): Promise<IModelDetail>;
  deleteAlias(name: string, alias: string, reason?: string): Promise<IModelDetail>;
  promote(name: string, version: string, request: IStageRequest): Promise<IModelDetail>;
  rollback(name: string, request: IRollbackRequest): Promise<IModelDetail>;
  approve(name: string, version: string, request?: IApprovalRequest): Promise<IApprovalState>;
  getAudit(name: string): Promise<IAuditTrail>;
  /** What waits to be sent to the tracking server (runs kept offline, journals). */
  getOfflineBacklog(): Promise<IOfflineBacklog>;
  /** Send it now, exactly once; an unreachable server answers `reachable: false`. */
  syncOffline(): Promise<ISyncOutcome>;
}

export const ILabtrackService = new Token<ILabtrackService>(
  'labtrack:ILabtrackService',
  'The typed client of the labtrack server extension.'
);

/** The runs ticked in the Runs panel; the compare command uses them by default. */
export interface IRunSelection {
  readonly runIds: readonly string[];
  readonly changed: ISignal<IRunSelection, readonly string[]>;
}

export const IRunSelection = new Token<IRunSelection>(
  'labtrack:IRunSelection',
  'The runs selected in the labtrack Runs panel.'
);

/** Ids shared by the plugins. Commands taking arguments document them here. */
export namespace CommandIDs {
  export const openRuns = 'labtrack:open-runs';
  /** Show the Models (registry) sidebar. */
  export const openModels = 'labtrack:open-models';
  /** Show the Models sidebar at one model and version. Args: `{ name: string,
   * version?: string }`. */
  export const revealModelVersion = 'labtrack:reveal-model-version';
  /** Move runs to the Trash. Args: `{ runIds?: string[] }`, default the right-clicked row
   * (with the ticked rows when it is ticked), else the ticked rows. */
  export const deleteRuns = 'labtrack:delete-runs';
  /** Bring runs back from the Trash. Args as for `deleteRuns`. */
  export const restoreRuns = 'labtrack:restore-runs';
  /** Ask for a tag and set it on runs. Args as for `deleteRuns`. */
  export const tagRuns = 'labtrack:tag-runs';
  /** Copy run ids to the clipboard, one a line. Args as for `deleteRuns`. */
  export const copyRunIds = 'labtrack:copy-run-ids';
  /** Rename a run in place in the Runs table. Args: `{ runId?: string }`. */
  export const renameRun = 'labtrack:rename-run';
  /** Runs were changed elsewhere (renamed, tagged, deleted…): panels showing them read them
   * again. Args: `{ runIds: string[] }`. */
  export const runsChanged = 'labtrack:runs-changed';
  /** Reload the Runs panel's table and status now. */
  export const refreshRuns = 'labtrack:refresh-runs';
  /** Compare runs in a main-area panel. Args: `{ runIds?: string[] }`, default the runs
   * selected in the Runs panel. */
  export const compareRuns = 'labtrack:compare-runs';
  /** Show one run's details. Args: `{ runId: string }`. */
  export const openRun = 'labtrack:open-run';
  /** Open the notebook that produced a run, at its cell. Args: `{ runId: string }`. */
  export const openRunNotebook = 'labtrack:open-run-notebook';
  /** Insert a cell below the active one that loads a run's metrics or model.
   * Args: `{ runId: string, what: 'metrics' | 'model' }`. */
  export const insertRunCode = 'labtrack:insert-run-code';
  /** Insert a cell below the active one that loads a registered version with
   * `labtrack.load_model`. Args: `{ name: string, version?: string, alias?: string }`. */
  export const insertModelCode = 'labtrack:insert-model-code';
}

export const RUNS_PANEL_ID = 'labtrack-runs';
export const MODELS_PANEL_ID = 'labtrack-models';
