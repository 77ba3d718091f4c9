// Generated from js/lab/generated/contract.schema.json (itself generated from
// src/labtrack/server/contract.py) by `npm run generate:contract`: do not edit.
// tokens.ts re-exports these types.

export type BackendKind =
  'embedded' | 'sqlite' | 'postgresql' | 'mysql' | 'rest' | 'file' | 'other';
export type BackendSource = 'explicit' | 'env' | 'embedded';
/**
 * `GET status`. `unauthorized`: the tracking server answered but refused
 * labtrack's credentials or their permissions (its 401/403): not reachable for labtrack,
 * yet the fix is credentials, not the network.
 */
export interface IStatus {
  labtrack_version: string;
  mlflow_version: string;
  backend: IBackendInfo;
  reachable: boolean;
  error: string | null;
  unauthorized: boolean;
}
/**
 * The tracking backend as the server resolved it; `tracking_uri` has its
 * credentials redacted.
 */
export interface IBackendInfo {
  kind: BackendKind;
  tracking_uri: string;
  artifact_root: string | null;
  source: BackendSource;
}
/**
 * Every error answer: the HTTP reason and what went wrong, never a traceback.
 */
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
  params: {
    [k: string]: string;
  };
  metrics: {
    [k: string]: number | null;
  };
  tags: {
    [k: string]: string;
  };
}
export interface IRunPage {
  runs: IRunRow[];
  next_page_token: string | null;
}
/**
 * A metric's history, possibly reduced; parallel lists in step order.
 */
export interface IMetricSeries {
  key: string;
  steps: number[];
  timestamps: number[];
  values: (number | null)[];
  total_points: number;
  reduced: boolean;
  last_step: number | null;
}
/**
 * `POST models/{name}/versions` (answer: the new `ModelVersionView`, 201).
 */
export interface IRegisterRequest {
  run_id: string;
  path?: string;
  alias?: string | null;
  tags?: {
    [k: string]: string;
  };
  reason?: string;
}
/**
 * `PUT models/{name}/aliases/{alias}` (answer: the `ModelDetail`).
 */
export interface IAliasRequest {
  version: string;
  reason?: string;
}
/**
 * `POST models/{name}/versions/{v}/stage`: a stage and/or an alias in one promotion.
 */
export interface IStageRequest {
  stage?: string | null;
  alias?: string | null;
  archive_existing?: boolean;
  reason?: string;
}
/**
 * `POST models/{name}/rollback` (answer: the `ModelDetail`).
 */
export interface IRollbackRequest {
  alias: string;
  reason?: string;
}
/**
 * `POST models/{name}/versions/{v}/approvals`.
 */
export interface IApprovalRequest {
  reason?: string;
}
/**
 * `POST compare/at-step` (answer: `CompareAtStep`): `keys` empty: every metric of
 * the runs.
 */
export interface ICompareAtStepRequest {
  run_ids: string[];
  step: number;
  keys?: string[];
}
/**
 * The answer to an approval: who approved the version so far, out of how many needed
 * for the `protected` aliases and stages.
 */
export interface IApprovalState {
  model: string;
  version: string;
  approvers: string[];
  required: number;
  protected: string[];
}
/**
 * One registry action: who did what to which version, from what to what, and why.
 * `action` is one of register, alias, alias-delete, stage, rollback, approve;
 * `before`/`after` are versions (alias moves) or stages (stage transitions).
 */
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
  evidence: string | null;
  verified: boolean;
}
/**
 * `GET models/{name}/audit`: every labtrack registry action, oldest first.
 */
export interface IAuditTrail {
  model: string;
  entries: IAuditEntry[];
}
/**
 * `PATCH runs/{id}` (answer: the `EditedRun`): a new name and/or description. The
 * description is MLflow's `mlflow.note.content` tag; an empty one removes it.
 */
export interface IRunEditRequest {
  name?: string | null;
  description?: string | null;
}
/**
 * `PUT runs/{id}/tags/{key}` (answer: the `EditedRun`).
 */
export interface ITagRequest {
  value: string;
}
/**
 * `POST runs/delete` and `POST runs/restore` (1–1000 ids, answer a
 * `LifecycleOutcome`); `POST runs/families` (0–1000 ids, answer `RunFamilies`).
 */
export interface IRunIdsRequest {
  run_ids: string[];
}
/**
 * A run as it is after a change: its name, lifecycle stage (`active` or `deleted`),
 * description (`mlflow.note.content`, empty when none) and every tag.
 */
export interface IEditedRun {
  run_id: string;
  run_name: string;
  status: string;
  lifecycle_stage: string;
  description: string;
  tags: {
    [k: string]: string;
  };
}
/**
 * Why one run could not be moved: `problem` is `not-found` (no such run),
 * `deleted` (already in the Trash, for a delete) or `active` (not in the Trash, for a
 * restore).
 */
export interface IRunFailure {
  run_id: string;
  problem: string;
  reason: string;
}
/**
 * The answer of `POST runs/delete` and `POST runs/restore`: all or nothing. When
 * `failed` is empty every run asked is now in `lifecycle_stage` and listed in
 * `changed`; otherwise nothing changed, `changed` is empty and `failed` says why.
 */
export interface ILifecycleOutcome {
  action: string;
  lifecycle_stage: string;
  changed: string[];
  failed: IRunFailure[];
  message: string;
}
/**
 * A run's active child runs: how many, and how many have each status.
 */
export interface IRunFamily {
  run_id: string;
  children: number;
  statuses: {
    [k: string]: number;
  };
}
/**
 * `POST runs/families`: the asked runs that have children (runs without are left
 * out). `sampled`: counted from the newest children only (REST stores).
 */
export interface IRunFamilies {
  families: IRunFamily[];
  sampled: boolean;
}
/**
 * A run waiting in a spool: not on the server (yet), so it has no details there.
 * `run_id` is the spool's own id (the server gives its copy another one when it is
 * sent); `points` counts the metric points the run logged.
 */
export interface IOfflineRun {
  run_id: string;
  run_name: string;
  experiment_name: string;
  status: string;
  start_time: number | null;
  end_time: number | null;
  parent_id: string | null;
  points: number;
}
/**
 * One journal: what runs that exist on the server still owe it.
 */
export interface IJournalView {
  run_ids: string[];
  points: number;
  operations: number;
}
/**
 * `GET offline`: the server (credentials removed; None when the backend is not a
 * tracking server), its runs kept offline and not sent yet (parents first), and the
 * journals of runs the server already has.
 */
export interface IOfflineBacklog {
  server: string | null;
  unsynced: IOfflineRun[];
  journals: IJournalView[];
}
/**
 * One offline run sent by a sync: its spool id and the id of its server copy;
 * `models` counts the logged models (MLflow 3's `log_model`) copied with it.
 */
export interface ISyncedRun {
  offline_run_id: string;
  server_run_id: string;
  run_name: string;
  experiment_name: string;
  status: string;
  points: number;
  artifacts: number;
  models: number;
}
/**
 * `POST offline/sync`: what one sync did. `reachable` false means nothing was
 * sent and `reason` says why; `synced` maps each offline run id to the id the
 * server gave its copy; `notes` are the journals' replay notes; `lines` says it all
 * in words, as `%track sync` prints it.
 */
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
export interface IExperimentView {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number | null;
  last_update_time: number | null;
  tags: {
    [k: string]: string;
  };
}
export interface IExperimentPage {
  experiments: IExperimentView[];
  next_page_token: string | null;
}
/**
 * The param, metric and tag keys runs of some experiments have: the columns a run
 * table can offer.
 */
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
  tags: {
    [k: string]: string;
  };
}
export interface ILoggedModelView {
  model_id: string;
  name: string;
  artifact_location: string;
  creation_timestamp: number | null;
}
/**
 * A registered model version made from a run's model: the end of its lineage.
 */
export interface IRegisteredVersionLink {
  name: string;
  version: string;
  stage: string;
  aliases: string[];
}
export interface IRunDetail {
  info: IRunInfoView;
  params: {
    [k: string]: string;
  };
  metrics: {
    [k: string]: number | null;
  };
  tags: {
    [k: string]: string;
  };
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
/**
 * One page of one directory level (directories first, then by name).
 */
export interface IArtifactListing {
  run_id: string;
  path: string;
  entries: IArtifactEntry[];
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
/**
 * One row per run, one column per param and metric: ready for parallel coordinates.
 */
export interface ICompareMatrix {
  runs: ICompareRun[];
  params: ICompareParamColumn[];
  metrics: ICompareMetricColumn[];
  tags: ICompareParamColumn[];
}
export interface ICompareStepColumn {
  key: string;
  values: (number | null)[];
}
/**
 * Each metric's value at the logged step nearest `step`, one per run (in the order
 * asked): what the runs showed at that point of training.
 */
export interface ICompareAtStep {
  step: number;
  metrics: ICompareMetricColumn[];
  steps: ICompareStepColumn[];
}
/**
 * One group of a run's images: a `log_image` key (`kind` "stepped": `steps` and
 * `timestamps` of its images in order) or the run's image artifacts (`kind` "files":
 * no steps).
 */
export interface IMediaKey {
  key: string;
  kind: string;
  count: number;
  steps: number[];
  timestamps: number[];
}
/**
 * `GET runs/{id}/media`: the run's image groups, read from names only.
 * `truncated`: the walk for image artifacts stopped before the end of a large tree.
 */
export interface IMediaIndex {
  run_id: string;
  keys: IMediaKey[];
  truncated: boolean;
}
/**
 * One image: `path` (as logged) and `thumbnail_path` (MLflow's compressed copy of
 * at most 256 px, when there is one) for the artifact file route.
 */
export interface IMediaItem {
  index: number;
  step: number | null;
  timestamp: number | null;
  path: string;
  thumbnail_path: string | null;
}
/**
 * `GET runs/{id}/media/items`: the images `offset` … `offset + limit` of a group.
 */
export interface IMediaPage {
  run_id: string;
  kind: string;
  key: string;
  offset: number;
  total: number;
  items: IMediaItem[];
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
  aliases: {
    [k: string]: string;
  };
  tags: {
    [k: string]: string;
  };
  latest_versions: IVersionStage[];
}
export interface IModelPage {
  models: IModelSummary[];
  next_page_token: string | null;
}
/**
 * One version of a registered model. `approvers`: the users who approved it under
 * labtrack's approval policy, in order.
 */
export interface IModelVersionView {
  version: string;
  stage: string;
  status: string;
  run_id: string | null;
  source: string;
  description: string;
  creation_timestamp: number | null;
  aliases: string[];
  tags: {
    [k: string]: string;
  };
  approvers: string[];
  unverified_approvals: string[];
  registrar: string | null;
  challenge: IChallengeView | null;
}
export interface IModelDetail {
  name: string;
  description: string;
  creation_timestamp: number | null;
  last_updated_timestamp: number | null;
  aliases: {
    [k: string]: string;
  };
  tags: {
    [k: string]: string;
  };
  latest_versions: IVersionStage[];
  versions: IModelVersionView[];
  approvals: IApprovalsView;
  warnings: IRegistryWarning[];
}
/**
 * The model's approval policy: promotions to a `protected` alias or stage wait for
 * `required` approvals of the version from distinct users (0: none needed).
 */
export interface IApprovalsView {
  required: number;
  protected: string[];
  separate_duties: boolean;
  rollback_needs_approvals: boolean;
  unverified_tags: string[];
}
/**
 * A version's latest champion–challenger evaluation, from its signed tag.
 */
export interface IChallengeView {
  run_id: string;
  role: string;
  opponent: string;
  passed: boolean;
  metric: string;
  value: number | null;
  opponent_value: number | null;
  timestamp: number;
  verified: boolean;
}
/**
 * One action that resolves a warning: a promotion the UI can offer as a button.
 */
export interface IRegistryFix {
  label: string;
  version: string;
  alias: string | null;
  stage: string | null;
  archive_existing: boolean;
}
/**
 * Something about the model's aliases and stages a person should fix.
 */
export interface IRegistryWarning {
  kind: string;
  alias: string;
  version: string;
  message: string;
  fixes: IRegistryFix[];
}
