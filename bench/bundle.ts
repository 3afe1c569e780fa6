// The bench and the profiler run GradLens from an esbuild bundle built as the extension's node
// bundle is (scripts/build.mjs: bundled, target node20), so the engine is measured as it ships. Run
// from TypeScript by a development transpiler instead, the same code measured about 2× slower here
// (tsx keeps function names by wrapping every closure as it is created, and the interpreter creates
// many). Not minified, so profiles keep readable names; esbuild marks each module with a
// `// src/...` line, which bench/profile-summary.ts maps samples back to.
import * as esbuild from 'esbuild';
import * as path from 'path';
import { benchDir, repoRoot } from './programs';

/** Bundles bench/ENTRY.ts to node_modules/.cache/gradlens-bench/ENTRY.js (where neither ESLint nor git looks) and returns its path. */
export function bundleForNode(entry: string): string {
  const outfile = path.join(repoRoot, 'node_modules', '.cache', 'gradlens-bench', `${entry}.js`);
  esbuild.buildSync({ entryPoints: [path.join(benchDir, `${entry}.ts`)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, absWorkingDir: repoRoot, logLevel: 'warning' });
  return outfile;
}

/** Bundles an entry module given as text (its imports resolved from bench/) to node_modules/.cache/gradlens-bench/NAME.js and returns its path. */
export function bundleEntryText(contents: string, name: string): string {
  const outfile = path.join(repoRoot, 'node_modules', '.cache', 'gradlens-bench', `${name}.js`);
  esbuild.buildSync({
    stdin: { contents, resolveDir: benchDir, sourcefile: `${name}.ts`, loader: 'ts' },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, absWorkingDir: repoRoot, logLevel: 'warning',
  });
  return outfile;
}

/** What the bundle needs to find bench/ from where it runs. */
export const bundleEnv = (): NodeJS.ProcessEnv => ({ ...process.env, GRADLENS_BENCH_DIR: benchDir });
