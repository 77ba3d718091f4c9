import { Token } from '@lumino/coreutils';

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
}

/** The one typed client of the labtrack server extension. */
export interface ILabtrackService {
  /** Fetch the server's view of the tracking backend. Rejects when the request fails. */
  getStatus(): Promise<IStatus>;
}

export const ILabtrackService = new Token<ILabtrackService>(
  'labtrack:ILabtrackService',
  'The typed client of the labtrack server extension.'
);

/** Ids shared by the plugins. */
export namespace CommandIDs {
  export const openRuns = 'labtrack:open-runs';
}

export const RUNS_PANEL_ID = 'labtrack-runs';
