// js/plots/objective.ts on the cases its Python twin (src/labtrack/backend/objective.py) is
// held to: tests/fixtures/objective_cases.json, so the sidebar and the widgets agree.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { isTimingMetric, lowerIsBetter, objectiveFromCoverage } from './objective';

const cases = JSON.parse(readFileSync(join(process.cwd(), 'tests/fixtures/objective_cases.json'), 'utf8'));

test('which way is better agrees with the Python rules', () => {
  for (const [key, expected] of Object.entries(cases.lower_is_better)) {
    assert.equal(lowerIsBetter(key), expected, key);
  }
});

test('timing metrics are recognised as the Python rules do', () => {
  for (const [key, expected] of Object.entries(cases.timing)) {
    assert.equal(isTimingMetric(key), expected, key);
  }
});

for (const item of cases.objective) {
  test(`objective: ${item.why}`, () => {
    assert.equal(objectiveFromCoverage(item.coverage, item.runs), item.expect);
  });
}
