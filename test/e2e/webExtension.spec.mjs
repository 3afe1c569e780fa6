// The web extension (dist/web/extension.js) in the browser's extension host: code-server runs it
// there when the user setting remote.extensionKind says "web". The same views as on the desktop.
/* global describe, before, after, process */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SLOW_TIMEOUT, useWorkbench } from './helpers.mjs';
import { viewTests } from './views.mjs';

describe('GradLens as a web extension', function () {
  this.timeout(3 * SLOW_TIMEOUT);
  const settingsFile = path.join(process.env.GRADLENS_E2E_USER_DATA ?? '', 'User', 'settings.json');
  let original = null;
  // Registered before useWorkbench's hooks, so the window opens with the setting.
  before(function () {
    if (!process.env.GRADLENS_E2E_USER_DATA) throw new Error('GRADLENS_E2E_USER_DATA is not set: run the specs through scripts/e2e/run.mjs');
    original = fs.readFileSync(settingsFile, 'utf8');
    fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(original), 'remote.extensionKind': { 'gradlens.gradlens': ['web'] } }, null, 2));
  });
  after(function () {
    if (original !== null) fs.writeFileSync(settingsFile, original);
  });
  viewTests(useWorkbench(), { prefix: 'web-' });
});
