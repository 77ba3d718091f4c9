// contract.ts is what json-schema-to-typescript makes of contract.schema.json (the schema
// itself is checked against the Python dataclasses by tests/unit/test_contract.py).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { TYPES_PATH, typesAreCurrent } from '../../../scripts/contract-types.mjs';

test('the generated contract types are current with the committed schema', async () => {
  const { current } = await typesAreCurrent();
  assert.ok(current, `${TYPES_PATH} is stale: run \`npm run generate:contract\` and commit it`);
});
