import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

/** Where the tracking backend's location came from (see DESIGN.md, decision 2). */
export type BackendSource = 'explicit' | 'env' | 'embedded';

/** The kind of MLflow store labtrack is talking to. */
export type BackendKind =
  | 'embedded'
  | 'sqlite'
  | 'postgresql'
  | 'mysql'
  | 'rest'
  | 'file'
  | 'other';

/** The tracking backend as the server resolved it. Mirrors the Python status payload. */
export interface IBackendInfo {
  kind: BackendKind;
  /** The tracking URI with credentials redacted. */
  tracking_uri: string;
  artifact_root: string | null;
  source: BackendSource;
}

/** Response of `GET {baseUrl}labtrack/api/status`. */
export interface IStatus {
  labtrack_version: string;
  mlflow_version: string;
  backend: IBackendInfo;
  reachable: boolean;
  error: string | null;
  /** The tracking server answered but refused labtrack's credentials (its 401/403). */
  unauthorized: boolean;
}

// Responses of the other routes under {baseUrl}labtrack/api/ (docs/rest-api.md).
// Mirrors of labtrack.server.contract.CONTRACT; tests/unit/test_contract.py checks them.

export interface IErrorResponse {
  error: string;
  message: string;
}

export interface IRunRow {
  run_id: string;
  run_name: string;
  experiment_id: string;
  status: string;
  start_time: number | null;
  end_time: number | null;
  user_id: string | null;
  lifecycle_stage: string;
  params: Record<string, string>;
  metrics: Record<string, number | null>;
  tags: Record<string, string>;
}

export interface IRunPage {
  runs: IRunRow[];
  next_page_token: string | null;
}

/** A metric's history, possibly reduced; parallel lists in step order. */
export interface IMetricSeries {
  key: string;
  steps: number[];
  timestamps: number[];
  values: (number | null)[];
  total_points: number;
  reduced: boolean;
  last_step: number | null;
}

export interface IExperimentView {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number | null;
  last_update_time: number | null;
  tags: Record<string, string>;
}

export interface IExperimentPage {
  experiments: IExperimentView[];
  next_page_token: string | null;
}

/** The param, metric and tag keys of an experiment's runs: the columns a table can offer. */
export interface IRunColumns {
  params: string[];
  metrics: string[];
  tags: string[];
}

export interface IRunInfoView {
  run_id: string;
  run_name: string;
  experiment_id: string;
  status: string;
  start_time: number | null;
  end_time: number | null;
  user_id: string | null;
  lifecycle_stage: string;
  artifact_uri: string;
}

export interface IRunLink {
  run_id: string;
  run_name: string;
  status: string;
}

export interface IDatasetView {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
  tags: Record<string, string>;
}

export interface ILoggedModelView {
  model_id: string;
  name: string;
  artifact_location: string;
  creation_timestamp: number | null;
}

export interface IRegisteredVersionLink {
  name: string;
  version: string;
  stage: string;
  aliases: string[];
}

export interface IRunDetail {
  info: IRunInfoView;
  params: Record<string, string>;
  metrics: Record<string, number | null>;
  tags: Record<string, string>;
  datasets: IDatasetView[];
  parent_run_id: string | null;
  children: IRunLink[];
  logged_models: ILoggedModelView[];
  registered_versions: IRegisteredVersionLink[];
}

export interface IArtifactEntry {
  path: string;
  name: string;
  is_dir: boolean;
  size: number | null;
}

/** One page of one directory level (directories first, then by name). */
export interface IArtifactListing {
  run_id: string;
  path: string;
  entries: IArtifactEntry[];
  /** Pass as `page_token` for the next page; null on the last. */
  next_page_token: string | null;
}

export interface ICompareRun {
  run_id: string;
  run_name: string;
  experiment_id: string;
  status: string;
}

export interface ICompareParamColumn {
  key: string;
  values: (string | null)[];
}

export interface ICompareMetricColumn {
  key: string;
  values: (number | null)[];
}

/** One row per run, one column per param and metric: ready for parallel coordinates. */
export interface ICompareMatrix {
  runs: ICompareRun[];
  params: ICompareParamColumn[];
  metrics: ICompareMetricColumn[];
}

export interface IVersionStage {
  version: string;
  stage: string;
}

export interface IModelSummary {
  name: string;
  description: string;
  creation_timestamp: number | null;
  last_updated_timestamp: number | null;
  aliases: Record<string, string>;
  tags: Record<string, string>;
  latest_versions: IVersionStage[];
}

export interface IModelPage {
  models: IModelSummary[];
  next_page_token: string | null;
}

export interface IModelVersionView {
  version: string;
  stage: string;
  status: string;
  run_id: string | null;
  source: string;
  description: string;
  creation_timestamp: number | null;
  aliases: string[];
  tags: Record<string, string>;
  /** Users whose signed approval of this version verifies. */
  approvers: string[];
  /** Names claimed by approval tags labtrack did not sign: shown, never counted. */
  unverified_approvals: string[];
  /** Who registered it, by labtrack's verified audit entry (null: registered elsewhere). */
  registrar: string | null;
  /** The newest `%track challenge` this version took part in. */
  challenge: IChallengeView | null;
}

/** A version's latest champion–challenger evaluation, from its signed tag. */
export interface IChallengeView {
  run_id: string;
  /** challenger | champion */
  role: string;
  /** The other version. */
  opponent: string;
  /** Whether the challenger passed the gate. */
  passed: boolean;
  metric: string;
  value: number | null;
  opponent_value: number | null;
  timestamp: number;
  verified: boolean;
}

/** One action that resolves a warning: a promotion offered as a button. */
export interface IRegistryFix {
  label: string;
  version: string;
  alias: string | null;
  stage: string | null;
  archive_existing: boolean;
}

/** Something about the model's aliases and stages a person should fix. */
export interface IRegistryWarning {
  /** archived-alias | stage-mismatch | unaudited-alias */
  kind: string;
  alias: string;
  version: string;
  message: string;
  fixes: IRegistryFix[];
}

export interface IModelDetail {
  name: string;
  description: string;
  creation_timestamp: number | null;
  last_updated_timestamp: number | null;
  aliases: Record<string, string>;
  tags: Record<string, string>;
  latest_versions: IVersionStage[];
  versions: IModelVersionView[];
  approvals: IApprovalsView;
  warnings: IRegistryWarning[];
}

/** The model's approval policy: promotions to a `protected` alias or stage wait for
 * `required` approvals of the version from distinct users (0: none needed). */
export interface IApprovalsView {
  required: number;
  protected: string[];
  /** The registrar of a version may not approve it. */
  separate_duties: boolean;
  /** A rollback onto a protected alias needs the target's approvals too. */
  rollback_needs_approvals: boolean;
  /** Policy tags that did not verify and were ignored. */
  unverified_tags: string[];
}

/** `POST models/{name}/versions`: register the model a run logged at `path`. */
export interface IRegisterRequest {
  run_id: string;
  path: string;
  alias: string | null;
  tags: Record<string, string>;
  reason: string;
}

/** `PUT models/{name}/aliases/{alias}`: move the alias to `version`. */
export interface IAliasRequest {
  version: string;
  reason: string;
}

/** `POST models/{name}/versions/{v}/stage`: a stage and/or an alias in one promotion. */
export interface IStageRequest {
  stage: string | null;
  alias: string | null;
  archive_existing: boolean;
  reason: string;
}

/** `POST models/{name}/rollback`: the alias back to its previous holder. */
export interface IRollbackRequest {
  alias: string;
  reason: string;
}

/** `POST models/{name}/versions/{v}/approvals`: approve as the signed-in user. */
export interface IApprovalRequest {
  reason: string;
}

export interface IApprovalState {
  model: string;
  version: string;
  approvers: string[];
  required: number;
  protected: string[];
}

/** One registry action of the audit trail. `action` is one of register, alias,
 * alias-delete, stage, rollback, approve, policy, challenge; `before`/`after` are versions
 * (alias moves) or stages (stage transitions). `verified` is false for an entry labtrack
 * did not sign (any MLflow client may write one): shown marked, never followed. */
export interface IAuditEntry {
  key: string;
  timestamp: number;
  user: string;
  action: string;
  model: string;
  version: string | null;
  alias: string | null;
  stage: string | null;
  before: string | null;
  after: string | null;
  reason: string;
  /** The evaluation run that justified a promotion (`%track challenge`). */
  evidence: string | null;
  verified: boolean;
}

export interface IAuditTrail {
  model: string;
  entries: IAuditEntry[];
}

/** A run kept in the server's local spool because the server was unreachable when its
 * cell started: it is not on the server (yet), so it has no details there. */
export interface IOfflineRun {
  /** The spool's own id; the server gives its copy another one when it is sent. */
  run_id: string;
  run_name: string;
  experiment_name: string;
  status: string;
  start_time: number | null;
  end_time: number | null;
  parent_id: string | null;
  /** Metric points the run logged. */
  points: number;
}

/** A journal: what runs that exist on the server still owe it (points, params, tags,
 * artifacts, end of run). */
export interface IJournalView {
  run_ids: string[];
  points: number;
  operations: number;
}

/** `GET offline`: what waits to be sent to the tracking server. `server` is null (and the
 * lists empty) when the backend is not a tracking server. */
export interface IOfflineBacklog {
  server: string | null;
  unsynced: IOfflineRun[];
  journals: IJournalView[];
}

/** One offline run sent by a sync: its spool id and the id of its server copy. */
export interface ISyncedRun {
  offline_run_id: string;
  server_run_id: string;
  run_name: string;
  experiment_name: string;
  status: string;
  points: number;
  artifacts: number;
  /** Logged models (MLflow 3's `log_model`) copied with the run. */
  models: number;
}

/** `POST offline/sync`: what one sync did. `reachable: false` means nothing was sent and
 * `reason` says why; `lines` says everything in words. */
export interface ISyncOutcome {
  server: string;
  reachable: boolean;
  reason: string | null;
  synced: ISyncedRun[];
  notes: string[];
  still_running: string[];
  problems: string[];
  lines: string[];
}

/** A page of runs to ask for: `GET runs`. Only the listed param/metric/tag keys are read. */
export interface IRunSearch {
  experimentIds: string[];
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

/** The one typed client of the labtrack server extension. Every method rejects with a
 * `LabtrackResponseError` carrying the server's message when the server answers an error. */
export interface ILabtrackService {
  /** Fetch the server's view of the tracking backend. */
  getStatus(): Promise<IStatus>;
  listExperiments(query?: INamedPageQuery): Promise<IExperimentPage>;
  searchRuns(search: IRunSearch): Promise<IRunPage>;
  /** The keys runs of these experiments have (for a column chooser). */
  getRunColumns(experimentIds: string[]): Promise<IRunColumns>;
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
  /** Params and metrics of 1–1000 runs, one row per run in the order given. */
  compareRuns(runIds: string[]): Promise<ICompareMatrix>;
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
