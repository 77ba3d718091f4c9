// The typed client of the server extension (service.ts, with responses.ts): the requests it
// makes and what it makes of the answers. A fake fetch stands in for the server, given to
// JupyterLab's own ServerConnection, so the requests are built exactly as in the browser.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { ServerConnection } from '@jupyterlab/services';

import { LabtrackResponseError, LabtrackService } from './service';

const BASE = 'http://lab.test/user/ada/';

interface IAnswer {
  status?: number;
  body?: unknown;
  /** The body as sent, when it is not JSON. */
  text?: string;
}

/** A service whose every request is recorded and answered with `answer`. */
function serviceAnswering(answer: IAnswer | (() => Promise<Response>)) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(request);
    if (typeof answer === 'function') {
      return answer();
    }
    const text = answer.text ?? JSON.stringify(answer.body ?? {});
    return new Response(text, { status: answer.status ?? 200, statusText: 'Status' });
  };
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: BASE,
    wsUrl: 'ws://lab.test/user/ada/',
    token: 'secret',
    fetch,
    Request,
    Headers
  });
  return { service: new LabtrackService({ serverSettings }), requests };
}

/** The request's URL without the cache buster ServerConnection appends (`?<time>`). */
function routeOf(request: Request): string {
  const url = new URL(request.url);
  for (const key of [...url.searchParams.keys()].filter(key => /^\d+$/.test(key))) {
    url.searchParams.delete(key);
  }
  return url.href;
}

const STATUS = {
  labtrack_version: '0.1.0',
  mlflow_version: '3.17.0',
  backend: { kind: 'sqlite', tracking_uri: 'sqlite:///x.db', artifact_root: null, source: 'env' },
  reachable: true,
  error: null,
  unauthorized: false
};

test('the status is read from labtrack/api/status under the base URL, with the token', async () => {
  const { service, requests } = serviceAnswering({ body: STATUS });
  assert.deepEqual(await service.getStatus(), STATUS);
  assert.equal(requests[0].method, 'GET');
  assert.equal(routeOf(requests[0]), `${BASE}labtrack/api/status`);
  assert.equal(requests[0].headers.get('Authorization'), 'token secret');
});

test('a backend kind or source this client does not know reads as other / explicit', async () => {
  const backend = { ...STATUS.backend, kind: 'nosql', source: 'magic' };
  const { service } = serviceAnswering({ body: { ...STATUS, backend } });
  const status = await service.getStatus();
  assert.equal(status.backend.kind, 'other');
  assert.equal(status.backend.source, 'explicit');
});

test('a status lacking what the panel shows is refused', async () => {
  const { service } = serviceAnswering({ body: { ...STATUS, reachable: 'yes' } });
  await assert.rejects(service.getStatus(), /"reachable" should be a boolean/);
});

test('a run search sends only what is asked, lists comma-joined, orderings repeated', async () => {
  const { service, requests } = serviceAnswering({ body: { runs: [], next_page_token: null } });
  await service.searchRuns({
    experimentIds: ['1', '2'],
    filter: "  params.lr = '0.1'  ",
    orderBy: ['metrics.loss ASC', 'attributes.start_time DESC'],
    pageSize: 50,
    pageToken: null,
    params: ['lr'],
    metrics: [],
    notebook: null
  });
  const url = new URL(requests[0].url);
  assert.equal(url.pathname, '/user/ada/labtrack/api/runs');
  assert.equal(url.searchParams.get('experiment_ids'), '1,2');
  assert.equal(url.searchParams.get('filter'), "params.lr = '0.1'");
  assert.deepEqual(url.searchParams.getAll('order_by'), [
    'metrics.loss ASC',
    'attributes.start_time DESC'
  ]);
  assert.equal(url.searchParams.get('page_size'), '50');
  assert.equal(url.searchParams.get('params'), 'lr');
  for (const absent of ['page_token', 'metrics', 'tags', 'notebook']) {
    assert.equal(url.searchParams.has(absent), false, absent);
  }
});

test("an error answer rejects with the server's own message and status", async () => {
  const { service } = serviceAnswering({
    status: 400,
    body: { error: 'Bad Request', message: "bad filter: unexpected 'and'" }
  });
  await assert.rejects(service.searchRuns({ experimentIds: ['1'] }), (error: unknown) => {
    assert.ok(error instanceof LabtrackResponseError);
    assert.equal(error.message, "bad filter: unexpected 'and'");
    assert.equal(error.status, 400);
    return true;
  });
});

test("an error page that is not JSON (a proxy's) is reported by its status line", async () => {
  const { service } = serviceAnswering({ status: 502, text: '<html>Bad gateway</html>' });
  await assert.rejects(service.getModel('m'), /GET labtrack\/api\/models\/m: 502 Status/);
});

test('a success whose body is not JSON, or lacks a list the panels use, is refused', async () => {
  const notJson = serviceAnswering({ text: 'hello' }).service;
  await assert.rejects(notJson.getRun('abc'), /answered 200 with a body that is not JSON/);
  const noRuns = serviceAnswering({ body: { next_page_token: null } }).service;
  await assert.rejects(noRuns.searchRuns({ experimentIds: ['1'] }), /"runs" should be an array/);
});

test('path segments are encoded: a model or alias name cannot leave its route', async () => {
  const { service, requests } = serviceAnswering({
    body: { versions: [], aliases: {} }
  });
  await service.setAlias('a/b?c', 'champ ion', { version: '3', reason: 'better' });
  assert.equal(requests[0].method, 'PUT');
  assert.equal(routeOf(requests[0]), `${BASE}labtrack/api/models/a%2Fb%3Fc/aliases/champ%20ion`);
  assert.deepEqual(await requests[0].json(), { version: '3', reason: 'better' });
});

test('registry writes send their request as JSON; an approval without one sends a blank reason', async () => {
  const { service, requests } = serviceAnswering({ body: { approvers: ['ada'] } });
  await service.approve('m', '2');
  assert.equal(requests[0].method, 'POST');
  assert.equal(routeOf(requests[0]), `${BASE}labtrack/api/models/m/versions/2/approvals`);
  assert.deepEqual(await requests[0].json(), { reason: '' });
});

test('deleting an alias gives its reason as a query parameter', async () => {
  const { service, requests } = serviceAnswering({ body: { versions: [], aliases: {} } });
  await service.deleteAlias('m', 'champion', 'retired');
  assert.equal(requests[0].method, 'DELETE');
  assert.equal(routeOf(requests[0]), `${BASE}labtrack/api/models/m/aliases/champion?reason=retired`);
});

test('an artifact URL carries its path as a query parameter', () => {
  const { service } = serviceAnswering({});
  assert.equal(
    service.artifactUrl('abc', 'plots/a b.png'),
    `${BASE}labtrack/api/runs/abc/artifacts/file?path=plots%2Fa+b.png`
  );
});

test('a server that cannot be reached rejects with a network error', async () => {
  const { service } = serviceAnswering(() => Promise.reject(new TypeError('fetch failed')));
  await assert.rejects(service.getStatus(), ServerConnection.NetworkError);
});
