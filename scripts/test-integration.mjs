#!/usr/bin/env node
// In-host API tests (test/integration/suite/index.js: mocha inside the extension host) in a
// VS Code downloaded by @vscode/test-electron. Needs the internet the first time (the download
// is cached in test-results/vscode-test/, which git ignores); without it, this says so and exits non-zero.
// Not part of `npm test`. Run by `npm run test:integration` (which builds dist/ first).
// Where VS Code cannot be downloaded, `npm run test:in-host` runs the same suite in code-server.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extensionTestsPath = path.join(repoRoot, 'test', 'integration', 'suite', 'index.js');
const workspace = path.join(repoRoot, 'examples');

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version: process.env.GRADLENS_VSCODE_VERSION || 'stable', cachePath: path.join(repoRoot, 'test-results', 'vscode-test') });
} catch (e) {
  console.error(`[test-integration] VS Code could not be downloaded (${e && e.message ? e.message : e}).`);
  console.error('[test-integration] The in-host tests need a network connection the first time (or a cached test-results/vscode-test/).');
  console.error('[test-integration] Offline, run the same suite in code-server instead: npm run test:in-host');
  process.exit(2);
}

try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
  console.log('[test-integration] in-host tests passed');
} catch (e) {
  console.error(`[test-integration] in-host tests failed: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
