// js/plots/objective.ts on the cases its Python twin (src/labtrack/backend/objective.py)
// is held to: tests/fixtures/objective_cases.json. Bundled by esbuild, run by node.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { isTimingMetric, lowerIsBetter, objectiveFromCoverage } from '../../js/plots/objective';

const cases = JSON.parse(readFileSync(join(process.cwd(), 'tests/fixtures/objective_cases.json'), 'utf8'));
let checked = 0;
for (const [key, expected] of Object.entries(cases.lower_is_better)) {
  assert.equal(lowerIsBetter(key), expected, `lowerIsBetter(${key})`);
  checked += 1;
}
for (const [key, expected] of Object.entries(cases.timing)) {
  assert.equal(isTimingMetric(key), expected, `isTimingMetric(${key})`);
  checked += 1;
}
for (const item of cases.objective) {
  assert.equal(objectiveFromCoverage(item.coverage, item.runs), item.expect, item.why);
  checked += 1;
}
assert.ok(checked >= 30, `only ${checked} cases`);
console.log(`objective: ${checked} cases agree with the Python rules`);
