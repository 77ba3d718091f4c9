// The one-request-at-a-time guard of the sidebar's models (Runs panel status, run details).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { SingleFlight } from './single-flight';

/** A job whose every start is counted and which settles only when told to. */
function controlledJob() {
  const releases: Array<(fail?: Error) => void> = [];
  let starts = 0;
  const job = () =>
    new Promise<void>((resolve, reject) => {
      starts += 1;
      releases.push(fail => (fail ? reject(fail) : resolve()));
    });
  return { job, releases, starts: () => starts };
}

test('calls made while a job is in flight join it instead of starting another', async () => {
  const { job, releases, starts } = controlledJob();
  const flight = new SingleFlight(job);
  const first = flight.run();
  const second = flight.run();
  assert.equal(starts(), 1);
  assert.equal(first, second);
  assert.equal(flight.busy, true);
  releases[0]();
  await first;
  assert.equal(flight.busy, false);
});

test('a call after the job settled starts a new one', async () => {
  const { job, releases, starts } = controlledJob();
  const flight = new SingleFlight(job);
  const first = flight.run();
  releases[0]();
  await first;
  const second = flight.run();
  assert.equal(starts(), 2);
  assert.notEqual(first, second);
  releases[1]();
  await second;
});

test('a failed job is reported to every caller and does not block the next one', async () => {
  const { job, releases, starts } = controlledJob();
  const flight = new SingleFlight(job);
  const first = flight.run();
  const joined = flight.run();
  releases[0](new Error('server away'));
  await assert.rejects(first, /server away/);
  await assert.rejects(joined, /server away/);
  const retry = flight.run();
  assert.equal(starts(), 2);
  releases[1]();
  await retry;
});
