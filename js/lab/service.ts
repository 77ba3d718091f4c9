import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  BackendKind,
  BackendSource,
  IBackendInfo,
  ILabtrackService,
  IStatus
} from './tokens';

const BACKEND_KINDS: readonly BackendKind[] = [
  'embedded',
  'sqlite',
  'postgresql',
  'mysql',
  'rest',
  'file',
  'other'
];
const BACKEND_SOURCES: readonly BackendSource[] = ['explicit', 'env', 'embedded'];

/** A response from the labtrack server that is not what the client expects. */
export class LabtrackResponseError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null
  ) {
    super(message);
    this.name = 'LabtrackResponseError';
  }
}

/** Talks to the labtrack server extension under `{baseUrl}labtrack/api/`. */
export class LabtrackService implements ILabtrackService {
  constructor(options: LabtrackService.IOptions) {
    this.serverSettings = options.serverSettings;
  }

  readonly serverSettings: ServerConnection.ISettings;

  async getStatus(): Promise<IStatus> {
    const body = await this._get('status');
    return parseStatus(body);
  }

  private async _get(path: string): Promise<unknown> {
    const route = `labtrack/api/${path}`;
    const url = URLExt.join(this.serverSettings.baseUrl, route);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, { method: 'GET' }, this.serverSettings);
    } catch (reason) {
      throw new ServerConnection.NetworkError(reason as TypeError);
    }
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: a proxy's or Jupyter's own error page; reported below.
    }
    if (!response.ok) {
      const message = isRecord(body) && typeof body.message === 'string' ? body.message : '';
      throw new LabtrackResponseError(
        `GET ${route}: ${response.status} ${response.statusText}${message ? ` — ${message}` : ''}`,
        response.status
      );
    }
    if (body === undefined) {
      throw new LabtrackResponseError(
        `GET ${route}: the server answered ${response.status} with a body that is not JSON`,
        response.status
      );
    }
    return body;
  }
}

export namespace LabtrackService {
  export interface IOptions {
    serverSettings: ServerConnection.ISettings;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectString(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') {
    throw new LabtrackResponseError(`status: "${key}" should be a string`);
  }
  return value;
}

function expectNullableString(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value !== 'string') {
    throw new LabtrackResponseError(`status: "${key}" should be a string or null`);
  }
  return value;
}

function parseBackend(value: unknown): IBackendInfo {
  if (!isRecord(value)) {
    throw new LabtrackResponseError('status: "backend" should be an object');
  }
  const kind = expectString(value, 'kind');
  const source = expectString(value, 'source');
  return {
    kind: (BACKEND_KINDS as readonly string[]).includes(kind) ? (kind as BackendKind) : 'other',
    tracking_uri: expectString(value, 'tracking_uri'),
    artifact_root: expectNullableString(value, 'artifact_root'),
    source: (BACKEND_SOURCES as readonly string[]).includes(source)
      ? (source as BackendSource)
      : 'explicit'
  };
}

/** Check the shape of a status payload and return it typed. Throws on a mismatch. */
export function parseStatus(value: unknown): IStatus {
  if (!isRecord(value)) {
    throw new LabtrackResponseError('status: the response should be a JSON object');
  }
  if (typeof value.reachable !== 'boolean') {
    throw new LabtrackResponseError('status: "reachable" should be a boolean');
  }
  return {
    labtrack_version: expectString(value, 'labtrack_version'),
    mlflow_version: expectString(value, 'mlflow_version'),
    backend: parseBackend(value.backend),
    reachable: value.reachable,
    error: expectNullableString(value, 'error')
  };
}
