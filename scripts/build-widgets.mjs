// Builds the widgets' front end with esbuild:
// - src/labtrack/static/widgets.js: the bundle (js/widgets/index.ts, plotly's basic bundle in it);
// - src/labtrack/static/loader.js: the few-kB module every widget sends as its `_esm`, which
//   finds the bundle (js/widgets/loader.ts);
// - a copy of the bundle named by its content, widgets.<hash>.js, in the lab extension's
//   static folder, where JupyterLab serves it to the loader. The hash is the first 16 hex
//   digits of the bundle's SHA-256, as src/labtrack/widgets/bundle.py computes it, so a
//   kernel only ever loads the bundle it was built with.
// Run after the lab extension's build, which empties that folder. `--watch` rebuilds on change.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { context } from 'esbuild';

const STATIC = 'src/labtrack/static';
const LAB_STATIC = 'src/labtrack/labextension/static';
const HASHED = /^widgets\.[0-9a-f]{16}\.js$/;

function publishHashedCopy() {
  const bundle = `${STATIC}/widgets.js`;
  const hash = createHash('sha256').update(readFileSync(bundle)).digest('hex').slice(0, 16);
  mkdirSync(LAB_STATIC, { recursive: true });
  for (const name of readdirSync(LAB_STATIC)) {
    if (HASHED.test(name)) {
      rmSync(`${LAB_STATIC}/${name}`);
    }
  }
  copyFileSync(bundle, `${LAB_STATIC}/widgets.${hash}.js`);
  console.log(`  ${LAB_STATIC}/widgets.${hash}.js`);
}

const common = { bundle: true, format: 'esm', target: 'es2020', minify: true, logLevel: 'info' };
const bundle = await context({
  ...common,
  entryPoints: ['js/widgets/index.ts'],
  outfile: `${STATIC}/widgets.js`,
  plugins: [
    {
      name: 'publish-hashed-copy',
      setup(build) {
        build.onEnd(result => {
          if (result.errors.length === 0) {
            publishHashedCopy();
          }
        });
      }
    }
  ]
});
const loader = await context({ ...common, entryPoints: ['js/widgets/loader.ts'], outfile: `${STATIC}/loader.js` });

if (process.argv.includes('--watch')) {
  await Promise.all([bundle.watch(), loader.watch()]);
} else {
  await Promise.all([bundle.rebuild(), loader.rebuild()]);
  await Promise.all([bundle.dispose(), loader.dispose()]);
}
