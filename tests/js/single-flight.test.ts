// Checks of js/lab/single-flight.ts, the one-request-at-a-time guard of the sidebar's
// models (Runs panel status, run details): bundled by esbuild, run by node (`npm run test:lab`).
import { strict as assert } from 'node:assert';

import { SingleFlight } from '../../js/lab/single-flight';

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

const tests: Record<string, () => Promise<void>> = {
  async 'calls made while a job is in flight join it instead of starting another'() {
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
  },
  async 'a call after the job settled starts a new one'() {
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
  },
  async 'a failed job is reported to every caller and does not block the next one'() {
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
  }
};

async function main(): Promise<void> {
  let failed = 0;
  for (const [name, check] of Object.entries(tests)) {
    try {
      await check();
      console.log(`ok    ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL  ${name}\n${error}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
