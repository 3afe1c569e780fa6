import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisOptions, defaultSettings, readSettings } from '../../../src/vscode/settings';

interface Manifest {
  main: string;
  browser: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; when: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('the extension manifest', () => {
  it('runs in untrusted workspaces: GradLens never runs user code in a real interpreter', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  });

  it('activates only for Python files and to restore its panel', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:python', 'onWebviewPanel:gradlens.gradients']);
  });

  it('has a desktop and a browser entry', () => {
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.browser, './dist/web/extension.js');
  });

  it('contributes both commands in the GradLens category, for Python editors only', () => {
    const commands = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c]));
    assert.equal(commands['gradlens.showGradients']?.title, 'Show Gradients');
    assert.equal(commands['gradlens.checkGradients']?.title, 'Run Gradient Check');
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'GradLens');
    for (const menu of ['commandPalette', 'editor/context']) {
      const entries = manifest.contributes.menus[menu];
      assert.deepEqual(entries.map((e) => e.command).sort(), ['gradlens.checkGradients', 'gradlens.showGradients']);
      for (const e of entries) assert.match(e.when ?? '', /editorLangId == python/);
    }
    for (const k of manifest.contributes.keybindings) assert.match(k.when, /editorLangId == python/);
  });

  it('declares every setting with the defaults the extension uses', () => {
    const declared = Object.fromEntries(Object.entries(manifest.contributes.configuration.properties).map(([key, p]) => [key.replace(/^gradlens\./, ''), p.default]));
    const fromManifest = readSettings((key) => declared[key]);
    assert.deepEqual(fromManifest, defaultSettings);
    assert.deepEqual(Object.keys(declared).sort(), ['budget.maxElements', 'budget.maxMillis', 'budget.maxSteps', 'check.h', 'check.passThreshold', 'check.sampledElements', 'check.warnThreshold', 'codeLens.enabled', 'dims', 'hover.enabled']);
  });
});

describe('settings', () => {
  it('fall back to the default for a malformed value', () => {
    const settings = readSettings((key) => ({ 'check.h': -1, 'budget.maxMillis': 'soon', dims: { N: 8, D: 0, 'not a dim': 3, C: 2.5 }, 'hover.enabled': false })[key]);
    assert.equal(settings.check.h, defaultSettings.check.h);
    assert.equal(settings.budget.maxMillis, defaultSettings.budget.maxMillis);
    assert.deepEqual(settings.dims, { N: 8 });
    assert.equal(settings.hoverEnabled, false);
  });

  it('become the analysis options a worker runs with', () => {
    const options = analysisOptions(defaultSettings, false);
    assert.equal(options.check, false);
    assert.deepEqual(options.dims, { N: 4, D: 5, C: 3, H: 6 });
    assert.deepEqual(options.budget, { maxSteps: 2_000_000, maxMillis: 10_000 });
    assert.deepEqual(options.limits, { maxElementsPerTensor: 5_000_000, maxTotalElements: 50_000_000 });
    assert.deepEqual(options.gradcheck, { h: 1e-6, passThreshold: 1e-7, warnThreshold: 1e-4, sampledElements: 25 });
  });
});
