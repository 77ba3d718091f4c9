// What the labtrack server answered, checked before the client hands it on typed: an
// error answer becomes a LabtrackResponseError with the server's own message, and a body
// lacking a field the panels rely on is refused rather than half-drawn.
import { BackendKind, BackendSource, IBackendInfo, IModelDetail, IStatus } from './tokens';

// Every value the generated unions hold (a Record must name them all, so a kind added in
// Python fails the typecheck here until it is added); a value outside them reads as the
// fallback, so a newer server never breaks an older panel.
const BACKEND_KINDS: Record<BackendKind, true> = {
  embedded: true,
  sqlite: true,
  postgresql: true,
  mysql: true,
  rest: true,
  file: true,
  other: true
};
const BACKEND_SOURCES: Record<BackendSource, true> = { explicit: true, env: true, embedded: true };

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

/** A model's detail (the answer of every registry write but registration). */
export function modelDetail(body: unknown): IModelDetail {
  return expectShape<IModelDetail>(body, 'model', { versions: 'array', aliases: 'object' });
}

/** The server's own message for an error answer (JSON `{error, message}`), else the status. */
export async function errorOf(method: string, route: string, response: Response): Promise<Error> {
  let message = '';
  try {
    const body: unknown = JSON.parse(await response.text());
    if (isRecord(body) && typeof body.message === 'string') {
      message = body.message;
    }
  } catch {
    // Not JSON: a proxy's or Jupyter's own error page; the status line says enough.
  }
  return new LabtrackResponseError(
    message || `${method} labtrack/api/${route}: ${response.status} ${response.statusText}`,
    response.status
  );
}

type FieldKind = 'array' | 'object';

/** Check the fields a caller relies on before handing the body on typed. */
export function expectShape<T>(body: unknown, what: string, fields: Record<string, FieldKind>): T {
  if (!isRecord(body)) {
    throw new LabtrackResponseError(`${what}: the response should be a JSON object`);
  }
  for (const [key, kind] of Object.entries(fields)) {
    const value = body[key];
    const ok = kind === 'array' ? Array.isArray(value) : isRecord(value);
    if (!ok) {
      throw new LabtrackResponseError(`${what}: "${key}" should be an ${kind}`);
    }
  }
  return body as T;
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
    kind: Object.hasOwn(BACKEND_KINDS, kind) ? (kind as BackendKind) : 'other',
    tracking_uri: expectString(value, 'tracking_uri'),
    artifact_root: expectNullableString(value, 'artifact_root'),
    source: Object.hasOwn(BACKEND_SOURCES, source) ? (source as BackendSource) : 'explicit'
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
    error: expectNullableString(value, 'error'),
    unauthorized: value.unauthorized === true
  };
}
