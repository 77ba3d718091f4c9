import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { errorOf, expectShape, LabtrackResponseError, modelDetail, parseStatus } from './responses';
import {
  IAliasRequest,
  IApprovalRequest,
  IApprovalState,
  IArtifactListing,
  IAuditTrail,
  ICompareAtStep,
  ICompareAtStepRequest,
  ICompareMatrix,
  IEditedRun,
  IExperimentPage,
  ILifecycleOutcome,
  ILabtrackService,
  IMediaIndex,
  IMediaPage,
  IMediaPageQuery,
  IMetricHistoryOptions,
  IModelDetail,
  IModelPage,
  IModelVersionView,
  IRegisterRequest,
  IRollbackRequest,
  IStageRequest,
  IMetricSeries,
  INamedPageQuery,
  IOfflineBacklog,
  IRunColumns,
  IRunDetail,
  IRunEditRequest,
  IRunFamilies,
  IRunPage,
  IRunSearch,
  IStatus,
  ISyncOutcome
} from './tokens';

export { LabtrackResponseError, parseStatus } from './responses';

/** Talks to the labtrack server extension under `{baseUrl}labtrack/api/`. */
export class LabtrackService implements ILabtrackService {
  constructor(options: LabtrackService.IOptions) {
    this.serverSettings = options.serverSettings;
  }

  readonly serverSettings: ServerConnection.ISettings;

  async getStatus(): Promise<IStatus> {
    return parseStatus(await this._json('status'));
  }

  async listExperiments(query: INamedPageQuery = {}): Promise<IExperimentPage> {
    const body = await this._json('experiments', namedPageParams(query));
    return expectShape<IExperimentPage>(body, 'experiments', { experiments: 'array' });
  }

  async searchRuns(search: IRunSearch): Promise<IRunPage> {
    const params = new URLSearchParams();
    params.set('experiment_ids', experimentParam(search.experimentIds));
    if (search.lifecycle === 'deleted') {
      params.set('lifecycle', 'deleted');
    }
    if (search.filter?.trim()) {
      params.set('filter', search.filter.trim());
    }
    for (const clause of search.orderBy ?? []) {
      params.append('order_by', clause);
    }
    setOptional(params, 'page_size', search.pageSize);
    setOptional(params, 'page_token', search.pageToken);
    for (const kind of ['params', 'metrics', 'tags'] as const) {
      const keys = search[kind];
      if (keys && keys.length) {
        params.set(kind, keys.join(','));
      }
    }
    setOptional(params, 'notebook', search.notebook);
    const body = await this._json('runs', params);
    return expectShape<IRunPage>(body, 'runs', { runs: 'array' });
  }

  async getRunColumns(experimentIds: string[] | 'all'): Promise<IRunColumns> {
    const params = new URLSearchParams({ experiment_ids: experimentParam(experimentIds) });
    const body = await this._json('runs/columns', params);
    return expectShape<IRunColumns>(body, 'run columns', {
      params: 'array',
      metrics: 'array',
      tags: 'array'
    });
  }

  async getRun(runId: string): Promise<IRunDetail> {
    const body = await this._json(runRoute(runId));
    return expectShape<IRunDetail>(body, 'run', {
      info: 'object',
      params: 'object',
      metrics: 'object',
      tags: 'object',
      datasets: 'array',
      children: 'array',
      logged_models: 'array',
      registered_versions: 'array'
    });
  }

  async getMetricHistory(
    runId: string,
    key: string,
    options: IMetricHistoryOptions = {}
  ): Promise<IMetricSeries> {
    const params = new URLSearchParams();
    setOptional(params, 'max_points', options.maxPoints);
    setOptional(params, 'after_step', options.afterStep);
    const route = `runs/${encodeURIComponent(runId)}/metrics/${encodeURIComponent(key)}`;
    const body = await this._json(route, params);
    return expectShape<IMetricSeries>(body, 'metric history', {
      steps: 'array',
      timestamps: 'array',
      values: 'array'
    });
  }

  async listArtifacts(runId: string, path = '', pageToken?: string): Promise<IArtifactListing> {
    const params = new URLSearchParams();
    if (path) {
      params.set('path', path);
    }
    if (pageToken) {
      params.set('page_token', pageToken);
    }
    const body = await this._json(`runs/${encodeURIComponent(runId)}/artifacts`, params);
    return expectShape<IArtifactListing>(body, 'artifacts', { entries: 'array' });
  }

  async fetchArtifact(runId: string, path: string): Promise<Blob> {
    const response = await this._request(artifactRoute(runId), { method: 'GET' }, fileParams(path));
    if (!response.ok) {
      throw await errorOf('GET', artifactRoute(runId), response);
    }
    return response.blob();
  }

  artifactUrl(runId: string, path: string): string {
    return this._url(artifactRoute(runId), fileParams(path));
  }

  async getMediaIndex(runId: string): Promise<IMediaIndex> {
    const body = await this._json(`runs/${encodeURIComponent(runId)}/media`);
    return expectShape<IMediaIndex>(body, 'media index', { keys: 'array' });
  }

  async getMediaPage(runId: string, query: IMediaPageQuery): Promise<IMediaPage> {
    const params = new URLSearchParams({ key: query.key, kind: query.kind ?? 'stepped' });
    setOptional(params, 'offset', query.offset);
    setOptional(params, 'limit', query.limit);
    setOptional(params, 'step', query.step);
    const body = await this._json(`runs/${encodeURIComponent(runId)}/media/items`, params);
    return expectShape<IMediaPage>(body, 'media page', { items: 'array' });
  }

  async valuesAtStep(runIds: string[], step: number, keys: string[] = []): Promise<ICompareAtStep> {
    const request: ICompareAtStepRequest = { run_ids: runIds, step, keys };
    const body = await this._send('POST', 'compare/at-step', request);
    return expectShape<ICompareAtStep>(body, 'values at step', { metrics: 'array', steps: 'array' });
  }

  async compareRuns(runIds: string[]): Promise<ICompareMatrix> {
    const body = await this._json('compare', undefined, {
      method: 'POST',
      body: JSON.stringify({ run_ids: runIds })
    });
    return expectShape<ICompareMatrix>(body, 'compare', {
      runs: 'array',
      params: 'array',
      metrics: 'array'
    });
  }

  async editRun(runId: string, request: IRunEditRequest): Promise<IEditedRun> {
    return editedRun(await this._send('PATCH', runRoute(runId), request));
  }

  async setRunTag(runId: string, key: string, value: string): Promise<IEditedRun> {
    return editedRun(await this._send('PUT', tagRoute(runId, key), { value }));
  }

  async deleteRunTag(runId: string, key: string): Promise<IEditedRun> {
    return editedRun(await this._json(tagRoute(runId, key), undefined, { method: 'DELETE' }));
  }

  async deleteRuns(runIds: readonly string[]): Promise<ILifecycleOutcome> {
    return lifecycleOutcome(await this._send('POST', 'runs/delete', { run_ids: runIds }));
  }

  async restoreRuns(runIds: readonly string[]): Promise<ILifecycleOutcome> {
    return lifecycleOutcome(await this._send('POST', 'runs/restore', { run_ids: runIds }));
  }

  async getRunFamilies(runIds: readonly string[]): Promise<IRunFamilies> {
    const body = await this._send('POST', 'runs/families', { run_ids: runIds });
    return expectShape<IRunFamilies>(body, 'run families', { families: 'array' });
  }

  async listModels(query: INamedPageQuery = {}): Promise<IModelPage> {
    const body = await this._json('models', namedPageParams(query));
    return expectShape<IModelPage>(body, 'models', { models: 'array' });
  }

  async getModel(name: string): Promise<IModelDetail> {
    return modelDetail(await this._json(modelRoute(name)));
  }

  async registerVersion(name: string, request: IRegisterRequest): Promise<IModelVersionView> {
    const body = await this._send('POST', `${modelRoute(name)}/versions`, request);
    return expectShape<IModelVersionView>(body, 'model version', { aliases: 'array' });
  }

  async setAlias(name: string, alias: string, request: IAliasRequest): Promise<IModelDetail> {
    const route = `${modelRoute(name)}/aliases/${encodeURIComponent(alias)}`;
    return modelDetail(await this._send('PUT', route, request));
  }

  async deleteAlias(name: string, alias: string, reason = ''): Promise<IModelDetail> {
    const route = `${modelRoute(name)}/aliases/${encodeURIComponent(alias)}`;
    const params = reason ? new URLSearchParams({ reason }) : undefined;
    return modelDetail(await this._json(route, params, { method: 'DELETE' }));
  }

  async promote(name: string, version: string, request: IStageRequest): Promise<IModelDetail> {
    const route = `${modelRoute(name)}/versions/${encodeURIComponent(version)}/stage`;
    return modelDetail(await this._send('POST', route, request));
  }

  async rollback(name: string, request: IRollbackRequest): Promise<IModelDetail> {
    return modelDetail(await this._send('POST', `${modelRoute(name)}/rollback`, request));
  }

  async approve(
    name: string,
    version: string,
    request: IApprovalRequest = { reason: '' }
  ): Promise<IApprovalState> {
    const route = `${modelRoute(name)}/versions/${encodeURIComponent(version)}/approvals`;
    const body = await this._send('POST', route, request);
    return expectShape<IApprovalState>(body, 'approval', { approvers: 'array' });
  }

  async getAudit(name: string): Promise<IAuditTrail> {
    const body = await this._json(`${modelRoute(name)}/audit`);
    return expectShape<IAuditTrail>(body, 'audit trail', { entries: 'array' });
  }

  async getOfflineBacklog(): Promise<IOfflineBacklog> {
    const body = await this._json('offline');
    return expectShape<IOfflineBacklog>(body, 'offline', { unsynced: 'array', journals: 'array' });
  }

  async syncOffline(): Promise<ISyncOutcome> {
    const body = await this._send('POST', 'offline/sync', {});
    return expectShape<ISyncOutcome>(body, 'offline sync', {
      synced: 'array',
      problems: 'array',
      lines: 'array'
    });
  }

  /** A write: `request` as the JSON body (Jupyter's XSRF token is added by makeRequest). */
  private _send(method: string, route: string, request: object): Promise<unknown> {
    return this._json(route, undefined, { method, body: JSON.stringify(request) });
  }

  private _url(route: string, params?: URLSearchParams): string {
    const url = URLExt.join(this.serverSettings.baseUrl, 'labtrack/api', route);
    const query = params?.toString();
    return query ? `${url}?${query}` : url;
  }

  private async _request(
    route: string,
    init: RequestInit,
    params?: URLSearchParams
  ): Promise<Response> {
    try {
      return await ServerConnection.makeRequest(this._url(route, params), init, this.serverSettings);
    } catch (reason) {
      throw new ServerConnection.NetworkError(reason as TypeError);
    }
  }

  /** Request `route` and return its JSON body; any error answer becomes a LabtrackResponseError. */
  private async _json(
    route: string,
    params?: URLSearchParams,
    init: RequestInit = { method: 'GET' }
  ): Promise<unknown> {
    const method = init.method ?? 'GET';
    const response = await this._request(route, init, params);
    if (!response.ok) {
      throw await errorOf(method, route, response);
    }
    const text = await response.text();
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      throw new LabtrackResponseError(
        `${method} labtrack/api/${route}: the server answered ${response.status} with a body that is not JSON`,
        response.status
      );
    }
  }
}

export namespace LabtrackService {
  export interface IOptions {
    serverSettings: ServerConnection.ISettings;
  }
}

function runRoute(runId: string): string {
  return `runs/${encodeURIComponent(runId)}`;
}

function tagRoute(runId: string, key: string): string {
  return `${runRoute(runId)}/tags/${encodeURIComponent(key)}`;
}

function experimentParam(ids: readonly string[] | 'all'): string {
  return ids === 'all' ? 'all' : ids.join(',');
}

function editedRun(body: unknown): IEditedRun {
  return expectShape<IEditedRun>(body, 'run', { tags: 'object' });
}

function lifecycleOutcome(body: unknown): ILifecycleOutcome {
  return expectShape<ILifecycleOutcome>(body, 'runs', { changed: 'array', failed: 'array' });
}

function modelRoute(name: string): string {
  return `models/${encodeURIComponent(name)}`;
}

function artifactRoute(runId: string): string {
  return `runs/${encodeURIComponent(runId)}/artifacts/file`;
}

function fileParams(path: string): URLSearchParams {
  return new URLSearchParams({ path });
}

function namedPageParams(query: INamedPageQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.name) {
    params.set('name', query.name);
  }
  setOptional(params, 'page_size', query.pageSize);
  setOptional(params, 'page_token', query.pageToken);
  return params;
}

function setOptional(
  params: URLSearchParams,
  name: string,
  value: string | number | null | undefined
): void {
  if (value !== null && value !== undefined && value !== '') {
    params.set(name, String(value));
  }
}
