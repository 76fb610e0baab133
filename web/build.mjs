/**
 * Builds the hub's web view into dist/web: type-checks web/src with tsc
 * (esbuild does not), then bundles web/src/main.tsx into app.js and
 * web/src/app.css into app.css, and writes index.html beside them.
 *
 *   node web/build.mjs            production build (minified)
 *   node web/build.mjs --dev      unminified, with source maps
 *   node web/build.mjs --no-check skip the type check (iteration only)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(webDir);
const outDir = join(root, 'dist', 'web');
const dev = process.argv.includes('--dev');

if (!process.argv.includes('--no-check')) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const check = spawnSync(process.execPath, [tsc, '-p', join(webDir, 'tsconfig.json'), '--noEmit'], { stdio: 'inherit' });
  if (check.status !== 0) {
    console.error('web/build.mjs: type check failed');
    process.exit(1);
  }
}

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: { app: join(webDir, 'src', 'main.tsx') },
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !dev,
  sourcemap: dev,
  outdir: outDir,
  logLevel: 'warning',
  legalComments: 'none',
});
await build({
  entryPoints: { app: join(webDir, 'src', 'app.css') },
  bundle: true,
  minify: !dev,
  outdir: outDir,
  logLevel: 'warning',
});
copyFileSync(join(webDir, 'index.html'), join(outDir, 'index.html'));
console.log(`web view built into ${outDir}`);
