// Bundles the extension (desktop and browser), the CLI, the analysis workers and the webview.
//   node scripts/build.mjs [--production]   (--production: no source maps, for the vsix)
import * as esbuild from 'esbuild';
import { existsSync, statSync } from 'node:fs';

const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';
const common = { bundle: true, minify: true, sourcemap: !production, logLevel: 'warning', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };
// VS Code's web extension host loads CommonJS; workers and the webview are plain scripts.
const browser = { ...common, platform: 'browser', target: 'es2022' };

const builds = [
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/vscode/worker.ts'], outfile: 'dist/worker.js' },
  { ...browser, entryPoints: ['src/vscode/webExtension.ts'], outfile: 'dist/web/extension.js', format: 'cjs', external: ['vscode'] },
  { ...browser, entryPoints: ['src/vscode/webWorker.ts'], outfile: 'dist/web/worker.js', format: 'iife' },
];
// The webview (webview/, built by its own author): bundled when its sources exist.
if (existsSync('webview/main.ts')) builds.push({ ...browser, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', format: 'iife' });
if (existsSync('webview/styles.css')) builds.push({ ...browser, entryPoints: ['webview/styles.css'], outfile: 'dist/webview.css' });

await Promise.all(builds.map((options) => esbuild.build(options)));

// The desktop host loads dist/extension.js on activation; the engine belongs in the worker bundles.
const hostLimit = 400 * 1024;
const hostSize = statSync('dist/extension.js').size;
if (hostSize > hostLimit) {
  console.error(`dist/extension.js is ${Math.round(hostSize / 1024)} KB, over the ${hostLimit / 1024} KB budget: does the host import the engine?`);
  process.exitCode = 1;
}
