#!/usr/bin/env node
// End-to-end tests of the packaged extension in a real VS Code (code-server),
// driven by headless Chromium through playwright-core (see test/e2e/helpers.mjs).
//
//   node scripts/e2e/run.mjs [path/to/extension.vsix] [--update-docs] [extra mocha args, e.g. --grep hover]
//   node scripts/e2e/run.mjs --serve [path/to/extension.vsix]
//     (only start code-server with the vsix installed, print the GRADLENS_E2E_* variables
//     for running mocha by hand, and stay up until Ctrl-C)
//
// Without a path it takes the newest *.vsix in the repo root. It runs
// scripts/e2e/setup.sh (cached installs), makes a scratch folder
// test-results/e2e/run-<time>-<pid>/, copies the repo's examples/*.py into a
// workspace there, installs the vsix into a fresh extensions dir, starts
// code-server on a free loopback port, runs mocha over test/e2e/**/*.spec.mjs
// (with the GRADLENS_E2E_* variables the helpers read) and always shuts
// everything down again (also on failure and on Ctrl-C/SIGTERM). At the end,
// code-server's output (followed by VS Code's own log files) is copied to
// test-results/e2e/code-server.log and the screenshots to
// test-results/e2e/screenshots/. Runs may overlap: an earlier run's scratch
// folder is only removed once its run has ended.
// With --update-docs (or GRADLENS_E2E_DOCS=1), a run without failures also copies the
// screenshots the specs marked for the docs (`screenshot(name, { docs: true })`, listed in the
// screenshots' docs.txt) to docs/screenshots/, which the README shows.
// The last line printed is `E2E: N passed, M failed` (`, K skipped` follows when specs are
// pending); the exit code is mocha's
// (non-zero, with at least one failure counted, if anything before failed).
//
// Environment:
//   GRADLENS_E2E_CACHE      where setup.sh installs (default ~/.cache/gradlens-e2e)
//   GRADLENS_E2E_SPEC       spec glob(s), comma-separated (default test/e2e/**/*.spec.mjs)
//   GRADLENS_E2E_TIMEOUT    default mocha timeout of a test in ms (default 120000)
//   GRADLENS_E2E_WAIT_MS    the helpers' default wait for one UI condition (default 30000)
//   GRADLENS_E2E_HEADED=1   passed through to the helpers (only useful with a display)
//   GRADLENS_E2E_DOCS=1     the same as --update-docs
/* global setTimeout, clearTimeout, fetch, Buffer, AbortSignal */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { setupTools } from './tools.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
const examplesDir = path.join(repoRoot, 'examples');
const docsScreenshots = path.join(repoRoot, 'docs', 'screenshots');
const logPath = path.join(resultsDir, 'code-server.log');
const runId = randomUUID();
const t0 = Date.now();

const state = {
  codeServer: null, // ChildProcess (own process group)
  mocha: null, // ChildProcess
  log: null, // fs.WriteStream
  scratch: null,
  cleaning: null, // Promise while cleaning up
  counts: null, // { passes, failures, pending, tests } from the reporter
  countsFile: null,
  serve: false,
  updateDocs: false,
};

function say(msg) {
  console.log(`[e2e] ${msg}`);
}
function elapsed() {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  // The first *.vsix argument is the extension, --serve and --update-docs are ours, everything
  // else goes to mocha (so `npm run test:e2e -- --grep hover` works too).
  const ours = new Set(['--serve', '--update-docs']);
  const args = argv.filter((a) => a !== '--');
  const serve = args.includes('--serve');
  const updateDocs = args.includes('--update-docs') || process.env.GRADLENS_E2E_DOCS === '1';
  let vsix = args.find((a) => a.endsWith('.vsix'));
  const mochaExtra = args.filter((a) => a !== vsix && !ours.has(a));
  if (vsix) {
    vsix = path.resolve(process.cwd(), vsix);
    if (!fs.existsSync(vsix)) throw new Error(`no such vsix: ${vsix}`);
  } else {
    const found = fs
      .readdirSync(repoRoot)
      .filter((f) => f.endsWith('.vsix'))
      .map((f) => ({ f: path.join(repoRoot, f), m: fs.statSync(path.join(repoRoot, f)).mtimeMs }))
      .sort((a, b) => b.m - a.m);
    if (found.length === 0) throw new Error(`no .vsix given and none in ${repoRoot} (package the extension first)`);
    vsix = found[0].f;
  }
  return { vsix, mochaExtra, serve, updateDocs };
}

// ---------------------------------------------------------------------------
// Scratch folder

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Removes the scratch folders of earlier runs, but never one whose run is still going (two
 * runs may share the repo): a folder is left alone while the pid in its owner.pid lives, and a
 * folder without owner.pid while it is younger than two hours.
 */
function removeOldScratch() {
  for (const name of fs.readdirSync(resultsDir)) {
    if (!name.startsWith('run-')) continue;
    const dir = path.join(resultsDir, name);
    let pid = null;
    try {
      pid = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
    } catch {
      // none
    }
    if (pid ? alive(pid) : Date.now() - fs.statSync(dir).mtimeMs < 2 * 3600_000) continue;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      say(`could not remove ${dir}: ${e.message}`);
    }
  }
}

function makeScratch() {
  fs.mkdirSync(resultsDir, { recursive: true });
  removeOldScratch();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const scratch = path.join(resultsDir, `run-${stamp}-${process.pid}`);
  fs.mkdirSync(scratch);
  fs.writeFileSync(path.join(scratch, 'owner.pid'), String(process.pid));
  const dirs = {
    scratch,
    workspace: path.join(scratch, 'workspace'),
    home: path.join(scratch, 'home'),
    tmp: path.join(scratch, 'tmp'),
    xdgConfig: path.join(scratch, 'xdg', 'config'),
    xdgData: path.join(scratch, 'xdg', 'data'),
    xdgCache: path.join(scratch, 'xdg', 'cache'),
    xdgState: path.join(scratch, 'xdg', 'state'),
    xdgRuntime: path.join(scratch, 'xdg', 'runtime'),
    userData: path.join(scratch, 'user-data'),
    extensions: path.join(scratch, 'extensions'),
    browser: path.join(scratch, 'browser'),
    screenshots: path.join(scratch, 'screenshots'), // copied to test-results/e2e/screenshots at the end
    log: path.join(scratch, 'code-server.log'), // copied to test-results/e2e/code-server.log at the end
    config: path.join(scratch, 'code-server.yaml'),
  };
  for (const [k, d] of Object.entries(dirs)) if (k !== 'config' && k !== 'log') fs.mkdirSync(d, { recursive: true });
  fs.chmodSync(dirs.xdgRuntime, 0o700);
  fs.writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');

  const pys = fs.existsSync(examplesDir) ? fs.readdirSync(examplesDir).filter((f) => f.endsWith('.py')) : [];
  if (pys.length === 0) throw new Error(`no example .py files in ${examplesDir}`);
  for (const f of pys) fs.copyFileSync(path.join(examplesDir, f), path.join(dirs.workspace, f));
  dirs.examples = examplesDir;

  const userSettings = path.join(dirs.userData, 'User');
  fs.mkdirSync(userSettings, { recursive: true });
  fs.writeFileSync(
    path.join(userSettings, 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'git.enabled': false,
        'editor.hover.delay': 100,
        // Typed text stays as typed: no suggestion widget over the code (or in a screenshot).
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        'editor.suggestOnTriggerCharacters': false,
        'editor.wordBasedSuggestions': 'off',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'files.autoSave': 'off',
      },
      null,
      2,
    ),
  );
  return dirs;
}

// ---------------------------------------------------------------------------
// code-server

function codeServerEnv(dirs) {
  return {
    ...process.env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    XDG_STATE_HOME: dirs.xdgState,
    XDG_RUNTIME_DIR: dirs.xdgRuntime,
    // Marks every process of this run, so that cleanup can find stragglers.
    GRADLENS_E2E_RUN_ID: runId,
    // Don't let a VS Code/Electron environment of the caller leak in.
    VSCODE_IPC_HOOK_CLI: '',
    ELECTRON_RUN_AS_NODE: '',
  };
}

function commonArgs(dirs) {
  return [
    '--config', dirs.config,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

function installExtension(tools, dirs, vsix) {
  const r = spawnSync(tools.NODE24, [tools.CODE_SERVER, ...commonArgs(dirs), '--install-extension', vsix], {
    env: codeServerEnv(dirs),
    encoding: 'utf8',
    timeout: 180_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  state.log.write(`===== code-server --install-extension ${vsix} (exit ${r.status ?? r.signal})\n${out}\n`);
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (exit ${r.status ?? r.signal}):\n${out.trim()}`);
  if (!/was successfully installed|is already installed/i.test(out)) {
    throw new Error(`code-server did not confirm installing ${vsix}:\n${out.trim()}`);
  }
  const installed = fs.readdirSync(dirs.extensions).filter((f) => !f.startsWith('.') && f !== 'extensions.json');
  say(`installed ${path.basename(vsix)} -> ${installed.join(', ')}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function startCodeServer(tools, dirs, port) {
  const args = [
    tools.CODE_SERVER,
    ...commonArgs(dirs),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    dirs.workspace,
  ];
  state.log.write(`===== code-server ${args.slice(1).join(' ')}\n`);
  const child = spawn(tools.NODE24, args, {
    env: codeServerEnv(dirs),
    cwd: dirs.workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: shutdown signals the whole group
  });
  child.stdout.pipe(state.log, { end: false });
  child.stderr.pipe(state.log, { end: false });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.exited.then(({ code, signal }) => {
    child.hasExited = true;
    state.log.write(`===== code-server exited (code ${code}, signal ${signal})\n`);
  });
  state.codeServer = child;
  return child;
}

async function waitUntilServing(child, port, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.hasExited) throw new Error(`code-server exited before serving; see ${logPath}`);
    try {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (health.ok) {
        // The workbench page itself must be served too, not only the health endpoint.
        const page = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) });
        const body = await page.text();
        if (page.ok && /workbench/i.test(body)) return;
        last = `GET / -> ${page.status}`;
      } else {
        last = `GET /healthz -> ${health.status}`;
      }
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(250);
  }
  throw new Error(`code-server did not serve on port ${port} within ${timeoutMs / 1000}s (${last}); see ${logPath}`);
}

// ---------------------------------------------------------------------------
// mocha

// A reporter that prints like `spec` and writes the final counts to a file.
function writeReporter(dirs, mochaDir) {
  const file = path.join(dirs.scratch, 'count-reporter.cjs');
  const spec = path.join(mochaDir, 'lib', 'reporters', 'spec.js');
  fs.writeFileSync(
    file,
    `'use strict';
const fs = require('fs');
const specModule = require(${JSON.stringify(spec)});
// mocha <= 11: module.exports = Spec; mocha 12 (ESM, loaded through require(esm)): export { Spec }
const Spec = typeof specModule === 'function' ? specModule : specModule.Spec || specModule.default;
class CountReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const out = process.env.GRADLENS_E2E_COUNTS_FILE;
    const write = () => {
      const s = runner.stats || {};
      fs.writeFileSync(out, JSON.stringify({ passes: s.passes || 0, failures: s.failures || 0, pending: s.pending || 0, tests: s.tests || 0 }));
    };
    write();
    runner.on('test end', write);
    runner.on('fail', write);
    runner.once('end', write);
  }
}
module.exports = CountReporter;
`,
  );
  return file;
}

function mochaEnv(tools, dirs, url) {
  return {
    GRADLENS_E2E_URL: url,
    GRADLENS_E2E_WORKSPACE: dirs.workspace,
    GRADLENS_E2E_EXAMPLES: dirs.examples,
    GRADLENS_E2E_SCREENSHOTS: dirs.screenshots,
    GRADLENS_E2E_BROWSER_DIR: dirs.browser,
    GRADLENS_E2E_CHROMIUM: tools.CHROMIUM,
    GRADLENS_E2E_USER_DATA: dirs.userData,
  };
}

/** The counts the reporter wrote, or null if mocha died before its reporter started. */
function readCounts() {
  if (!state.countsFile) return null;
  try {
    return JSON.parse(fs.readFileSync(state.countsFile, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * While the repo's node_modules has no playwright-core, `import 'playwright-core'` in the
 * specs resolves to the copy setup.sh put into the cache, through a resolve hook that mocha's
 * node loads first (--import). Returns node's extra arguments.
 */
function playwrightResolution(tools, dirs) {
  const own = path.join(repoRoot, 'node_modules', 'playwright-core');
  if (path.resolve(tools.PLAYWRIGHT_CORE) === own) return [];
  const target = pathToFileURL(path.join(tools.PLAYWRIGHT_CORE, 'index.mjs')).href;
  const hook = path.join(dirs.scratch, 'playwright-resolve-hook.mjs');
  const register = path.join(dirs.scratch, 'playwright-resolve-register.mjs');
  fs.writeFileSync(
    hook,
    `export async function resolve(specifier, context, next) {
  if (specifier === 'playwright-core') return { url: ${JSON.stringify(target)}, shortCircuit: true };
  return next(specifier, context);
}
`,
  );
  fs.writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
  say(`playwright-core is not in the repo's node_modules: using ${tools.PLAYWRIGHT_CORE}`);
  return ['--import', pathToFileURL(register).href];
}

function runMocha(tools, dirs, url, mochaExtra) {
  const mochaDir = path.join(repoRoot, 'node_modules', 'mocha');
  const mochaBin = path.join(mochaDir, 'bin', 'mocha.js');
  if (!fs.existsSync(mochaBin)) throw new Error(`mocha not found at ${mochaBin} (npm install first)`);
  const reporter = writeReporter(dirs, mochaDir);
  const countsFile = path.join(dirs.scratch, 'counts.json');
  state.countsFile = countsFile;
  const specs = (process.env.GRADLENS_E2E_SPEC || 'test/e2e/**/*.spec.mjs').split(',').filter(Boolean);
  const args = [
    ...playwrightResolution(tools, dirs),
    mochaBin,
    '--no-config', // the repo's .mocharc.json is for the unit tests
    '--no-package',
    '--reporter', reporter,
    '--timeout', String(Number(process.env.GRADLENS_E2E_TIMEOUT) || 120_000),
    '--slow', '15000',
    ...mochaExtra,
    ...specs,
  ];
  const env = {
    ...process.env,
    ...mochaEnv(tools, dirs, url),
    GRADLENS_E2E_COUNTS_FILE: countsFile,
    GRADLENS_E2E_RUN_ID: runId,
  };
  say(`mocha ${args.slice(args.indexOf(mochaBin) + 1).map((a) => (a === reporter ? '<spec+count reporter>' : a)).join(' ')}`);
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
  state.mocha = child;
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      state.mocha = null;
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : 1), counts: readCounts() });
    });
  });
}

// ---------------------------------------------------------------------------
// Shutdown

function pidsOfRun() {
  // Every process started for this run carries GRADLENS_E2E_RUN_ID in its environment.
  const pids = [];
  const needle = Buffer.from(`GRADLENS_E2E_RUN_ID=${runId}\0`);
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${name}/environ`);
      if (env.includes(needle)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function waitFor(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const r = await Promise.race([promise, timeout]);
  clearTimeout(timer);
  return r;
}

async function shutdown() {
  if (state.cleaning) return state.cleaning;
  state.cleaning = (async () => {
    if (state.mocha) {
      const m = state.mocha;
      const gone = new Promise((r) => m.once('exit', r));
      m.kill('SIGINT');
      if ((await waitFor(gone, 5000)) === 'timeout') m.kill('SIGKILL');
    }
    const cs = state.codeServer;
    if (cs && !cs.hasExited) {
      say(`stopping code-server (${elapsed()})`);
      killGroup(cs, 'SIGTERM');
      if ((await waitFor(cs.exited, 10_000)) === 'timeout') {
        say('code-server did not stop on SIGTERM; killing it');
        killGroup(cs, 'SIGKILL');
        await waitFor(cs.exited, 5000);
      }
    }
    // Stragglers: Chromium (if a spec did not close it), extension hosts, watchers.
    let left = pidsOfRun();
    if (left.length) {
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // gone
        }
      }
      await sleep(1500);
      left = pidsOfRun();
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      if (left.length) say(`killed ${left.length} leftover process(es): ${left.join(' ')}`);
    }
    if (state.log) {
      appendVsCodeLogs();
      await new Promise((r) => state.log.end(r));
      publishResults();
    }
  })();
  return state.cleaning;
}

/** This run's log and screenshots become test-results/e2e/code-server.log and screenshots/. */
function publishResults() {
  const dirs = state.scratch;
  try {
    fs.copyFileSync(dirs.log, logPath);
    const shots = path.join(resultsDir, 'screenshots');
    fs.rmSync(shots, { recursive: true, force: true });
    fs.cpSync(dirs.screenshots, shots, { recursive: true });
  } catch (e) {
    say(`could not copy the results: ${e.message}`);
  }
}

/**
 * --update-docs: the screenshots the specs marked for the docs (docs.txt in the screenshots
 * folder) go to docs/screenshots/, after a run without failures only. A run of some specs
 * (--grep) updates the ones it took and leaves the others.
 */
function updateDocScreenshots(failed) {
  if (failed > 0) {
    say(`docs/screenshots not updated: ${failed} failed`);
    return;
  }
  const dir = state.scratch.screenshots;
  const list = path.join(dir, 'docs.txt');
  const names = fs.existsSync(list) ? fs.readFileSync(list, 'utf8').split('\n').filter(Boolean) : [];
  const present = names.filter((n) => fs.existsSync(path.join(dir, n)));
  if (present.length === 0) {
    say('docs/screenshots not updated: this run took no screenshot for the docs');
    return;
  }
  fs.mkdirSync(docsScreenshots, { recursive: true });
  for (const name of present) fs.copyFileSync(path.join(dir, name), path.join(docsScreenshots, name));
  say(`updated ${path.relative(repoRoot, docsScreenshots)}/: ${present.join(', ')}`);
}

function appendVsCodeLogs() {
  const logs = state.scratch && path.join(state.scratch.userData, 'logs');
  if (!logs || !fs.existsSync(logs)) return;
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) files.push(p);
    }
  };
  walk(logs);
  for (const f of files.sort()) {
    const text = fs.readFileSync(f, 'utf8');
    if (!text.trim()) continue;
    state.log.write(`\n===== ${path.relative(state.scratch.userData, f)}\n${text}`);
  }
}

function finish(code, counts) {
  const passed = counts?.passes ?? 0;
  // A run that failed without a failed test (setup failed, mocha crashed, a spec did not
  // load) counts as one failure.
  const failed = Math.max(counts?.failures ?? 0, code !== 0 ? 1 : 0);
  const exit = code !== 0 ? code : failed > 0 ? 1 : 0;
  say(`done in ${elapsed()}${state.log ? `; code-server log: ${path.relative(process.cwd(), logPath) || logPath}` : ''}`);
  if (state.updateDocs && state.scratch && !state.serve) updateDocScreenshots(failed);
  const pending = counts?.pending ?? 0;
  if (!state.serve) console.log(`E2E: ${passed} passed, ${failed} failed${pending > 0 ? `, ${pending} skipped` : ''}`);
  process.exitCode = exit;
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    say(`${sig}: shutting down`);
    shutdown().finally(() => {
      // An interrupted run is not a passing one.
      finish(130, state.counts ?? readCounts());
      process.exit(130);
    });
  });
}

// ---------------------------------------------------------------------------
// Main

async function main() {
  const { vsix, mochaExtra, serve, updateDocs } = parseArgs(process.argv.slice(2));
  state.updateDocs = updateDocs;
  say(`vsix: ${vsix}`);
  const tools = setupTools();
  say(`setup done (${elapsed()}): code-server ${tools.CODE_SERVER}`);
  const dirs = makeScratch();
  state.scratch = dirs;
  state.log = fs.createWriteStream(dirs.log);
  say(`scratch: ${path.relative(repoRoot, dirs.scratch)}`);
  installExtension(tools, dirs, vsix);
  // The free port may be taken between probing and binding: then code-server exits, try another.
  let port;
  let child;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    child = startCodeServer(tools, dirs, port);
    try {
      await waitUntilServing(child, port);
      break;
    } catch (e) {
      if (!child.hasExited || attempt === 3 || interrupted) throw e;
      say(`code-server exited at start (attempt ${attempt}); retrying on another port`);
    }
  }
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`;
  say(`code-server serving on port ${port} (${elapsed()})`);
  if (interrupted) return { code: 130, counts: null };
  if (serve) {
    state.serve = true;
    say('serving until Ctrl-C; to run specs against it:');
    const env = Object.entries(mochaEnv(tools, dirs, url)).map(([k, v]) => `${k}='${v}'`);
    const node = ['node', ...playwrightResolution(tools, dirs), 'node_modules/mocha/bin/mocha.js'].join(' ');
    console.log(`  ${env.join(' \\\n  ')} \\\n  ${node} --no-config --timeout 120000 'test/e2e/**/*.spec.mjs'`);
    const { code, signal } = await child.exited; // normally the signal handlers shut down and exit
    throw new Error(`code-server exited (code ${code}, signal ${signal}); see ${logPath}`);
  }
  const result = await runMocha(tools, dirs, url, mochaExtra);
  state.counts = result.counts;
  return result;
}

let result = { code: 1, counts: null };
try {
  result = await main();
} catch (e) {
  console.error(`[e2e] ERROR: ${e.message}`);
} finally {
  if (!interrupted) {
    await shutdown();
    finish(result.code, result.counts);
  }
}
