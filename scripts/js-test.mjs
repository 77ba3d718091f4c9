// `npm test`: the JS unit specs (js/**/*.spec.ts, each beside the module it checks) run by
// node's built-in runner (node:test). esbuild bundles each spec for node first (the
// sources are TypeScript and import JupyterLab packages written as ES modules).
//
//   npm test                                   every spec
//   npm test -- js/lab/service.spec.ts         only these specs
//   npm test -- --test-name-pattern=brush      node:test options are passed on
//
// Exits non-zero when a test fails, when no spec is found, or when a spec ran no test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { build } from 'esbuild';

const OUT = 'lib/specs';
const REPORT = join(OUT, 'report.tap');

const args = process.argv.slice(2);
const named = args.filter(arg => arg.endsWith('.spec.ts'));
const options = args.filter(arg => !arg.endsWith('.spec.ts'));
const specs = named.length
  ? named
  : readdirSync('js', { recursive: true })
      .filter(path => path.endsWith('.spec.ts'))
      .map(path => join('js', path))
      .sort();
if (!specs.length) {
  console.error('npm test: no js/**/*.spec.ts found');
  process.exit(1);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: specs,
  outdir: OUT,
  outbase: 'js',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  // JupyterLab's packages import their icons and styles; a spec never draws them.
  loader: { '.svg': 'text', '.css': 'empty' },
  // The contract spec runs the generator as the build does, from node_modules.
  external: ['json-schema-to-typescript']
});
const bundles = specs.map(spec => join(OUT, spec.replace(/^js\//, '').replace(/\.ts$/, '.cjs')));

const run = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${REPORT}`,
    ...options,
    ...bundles
  ],
  { stdio: 'inherit' }
);
// node:test reports a file that registered no test as one passing test named after the file.
const report = readFileSync(REPORT, 'utf8');
const empty = bundles.filter(bundle => report.includes(`# Subtest: ${resolve(bundle)}\n`));
if (empty.length) {
  console.error(`npm test: these specs ran no test: ${empty.join(', ')}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
