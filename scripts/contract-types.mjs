// The TypeScript types of the REST contract, generated from its JSON Schema with
// json-schema-to-typescript. The schema is emitted from the Python dataclasses
// (`python -m labtrack.server.contract_schema`) and committed: a `pip install .` builds
// the front end before labtrack and MLflow are importable, so the build starts from the
// committed schema and needs only node (docs/rest-api.md, "The contract").
//
//   node scripts/contract-types.mjs           write js/lab/generated/contract.ts (npm run build)
//   node scripts/contract-types.mjs --schema  first emit the schema from Python: $PYTHON,
//                                             else .venv/bin/python, else python3
//                                             (npm run generate:contract)
//   node scripts/contract-types.mjs --check   exit 1 when contract.ts is not what it would write
//
// js/lab/generated/contract.spec.ts runs the same check in `npm test`, and
// tests/unit/test_contract.py checks the schema.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import { compile } from 'json-schema-to-typescript';

export const SCHEMA_PATH = 'js/lab/generated/contract.schema.json';
export const TYPES_PATH = 'js/lab/generated/contract.ts';

const BANNER = `// Generated from ${SCHEMA_PATH} (itself generated from
// src/labtrack/server/contract.py) by \`npm run generate:contract\`: do not edit.
// tokens.ts re-exports these types.`;

/** The TypeScript module for the schema `schemaText`: one type per definition, in the
 * schema's order. Each is compiled on its own with the others as `$defs`, so references
 * become type names and no root type or "referenced by" comments are emitted. */
export async function contractTypes(schemaText) {
  const { $defs } = JSON.parse(schemaText);
  const types = [];
  for (const [name, definition] of Object.entries($defs)) {
    types.push(
      await compile({ ...definition, $defs }, name, {
        bannerComment: '',
        declareExternallyReferenced: false,
        // Every object in the schema is closed; no index signature on any interface.
        additionalProperties: false,
        // The schema has no external references; never read files or the network.
        $refOptions: { resolve: { external: false } },
        style: { singleQuote: true, printWidth: 100, trailingComma: 'none', arrowParens: 'avoid' }
      })
    );
  }
  return `${BANNER}\n\n${types.join('')}`;
}

/** Whether the committed types are what the committed schema generates. */
export async function typesAreCurrent() {
  const expected = await contractTypes(readFileSync(SCHEMA_PATH, 'utf8'));
  return { current: readFileSync(TYPES_PATH, 'utf8') === expected, expected };
}

async function main(args) {
  if (args.includes('--check')) {
    const { current } = await typesAreCurrent();
    if (!current) {
      console.error(`${TYPES_PATH} is stale: run \`npm run generate:contract\` and commit it.`);
      process.exitCode = 1;
    }
    return;
  }
  if (args.includes('--schema')) {
    const python =
      process.env.PYTHON || (existsSync('.venv/bin/python') ? '.venv/bin/python' : 'python3');
    const emit = spawnSync(python, ['-m', 'labtrack.server.contract_schema', SCHEMA_PATH], {
      stdio: 'inherit'
    });
    if (emit.status !== 0) {
      throw new Error(`${python} -m labtrack.server.contract_schema failed (${emit.status})`);
    }
  }
  writeFileSync(TYPES_PATH, await contractTypes(readFileSync(SCHEMA_PATH, 'utf8')));
}

// Run as a command, not when a spec bundle imports the functions above.
if (process.argv[1]?.endsWith('contract-types.mjs')) {
  main(process.argv.slice(2)).catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
}
