#!/usr/bin/env node
// The in-host API tests (test/integration/suite/index.js, mocha inside the extension host) in
// code-server, for machines where @vscode/test-electron cannot download VS Code.
//
//   npm run test:in-host        (builds dist/ first)
//
// Uses scripts/e2e/setup.sh's cached installs, starts code-server with VS Code's smoke-test
// driver (--vscode-option enable-smoke-test-driver) on a free loopback port, and opens the
// workbench in headless Chromium (playwright-core) with a `payload` that makes the repo the
// extension under development and runs the suite in the (remote) extension host. The suite's
// log arrives through window.codeAutomationLog, its result through window.codeAutomationExit
// (0 = passed), which becomes this script's exit code. code-server's own output goes to
// test-results/in-host/code-server.log, everything the workbench logged to
// test-results/in-host/workbench.log. Not part of `npm test`.
//
// Environment: GRADLENS_E2E_CACHE (setup.sh's cache), GRADLENS_IN_HOST_TIMEOUT (ms, default 300000),
// GRADLENS_IN_HOST_VERBOSE=1 (print all of the workbench's log, not only the suite's).
/* global setTimeout, clearTimeout, fetch, AbortSignal */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { setupTools } from './tools.mjs';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const testsPath = path.join(repoRoot, 'test', 'integration', 'suite'); // inside the extension folder
const workspace = path.join(repoRoot, 'examples');
const outDir = path.join(repoRoot, 'test-results', 'in-host');
const timeoutMs = Number(process.env.GRADLENS_IN_HOST_TIMEOUT) || 300_000;
const say = (m) => console.log(`[in-host] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(child, port) {
  const end = Date.now() + 90_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (code ${child.exitCode}); see ${outDir}/code-server.log`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not yet
    }
    await sleep(300);
  }
  throw new Error('code-server did not start within 90 s');
}

/** console.log's printf-style formatting (%s, %d, %i, %f, %j, %o, %O, %%) of the logged arguments. */
function formatLog(args) {
  const str = (a) => (typeof a === 'string' ? a : JSON.stringify(a));
  if (typeof args[0] !== 'string') return args.map(str).join(' ');
  let i = 1;
  const head = args[0].replace(/%[sdifjoO%]/g, (m) => (m === '%%' ? '%' : i < args.length ? str(args[i++]) : m));
  return [head, ...args.slice(i).map(str)].join(' ');
}

const tools = setupTools();
if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) throw new Error('no dist/extension.js: run `npm run build` first');

// A scratch profile, so the user's code-server settings and extensions stay out of it.
const scratch = path.join(outDir, `run-${process.pid}`);
fs.rmSync(scratch, { recursive: true, force: true });
const dirs = Object.fromEntries(['home', 'tmp', 'xdg-config', 'xdg-data', 'xdg-cache', 'user-data', 'extensions', 'browser'].map((d) => [d, path.join(scratch, d)]));
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
fs.writeFileSync(path.join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false,
}));
const config = path.join(scratch, 'code-server.yaml');
fs.writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');

const port = await freePort();
const logPath = path.join(outDir, 'code-server.log');
const log = fs.createWriteStream(logPath);
const args = [
  tools.CODE_SERVER, '--config', config, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions,
  '--disable-telemetry', '--disable-update-check', '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
  '--disable-workspace-trust', '--disable-getting-started-override', '--disable-proxy',
  '--vscode-option', 'enable-smoke-test-driver',
];
say(`code-server on 127.0.0.1:${port} (log: ${path.relative(repoRoot, logPath)})`);
const codeServer = spawn(tools.NODE24, args, {
  cwd: workspace,
  detached: true, // own process group, ended as a whole below
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'], VSCODE_IPC_HOOK_CLI: '', ELECTRON_RUN_AS_NODE: '',
  },
});
codeServer.stdout.pipe(log, { end: false });
codeServer.stderr.pipe(log, { end: false });

let context = null;
let exitCode;
async function shutdown() {
  if (context) await context.close().catch(() => {});
  try {
    process.kill(-codeServer.pid, 'SIGTERM');
  } catch {
    // gone already
  }
  const gone = new Promise((r) => (codeServer.exitCode !== null ? r() : codeServer.once('exit', r)));
  const timer = setTimeout(() => {
    try {
      process.kill(-codeServer.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 5000);
  await gone;
  clearTimeout(timer);
  fs.rmSync(scratch, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void shutdown().then(() => process.exit(130)));

try {
  await waitUntilServing(codeServer, port);
  const authority = `127.0.0.1:${port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${repoRoot}`],
    ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
  ];
  const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const require = createRequire(import.meta.url);
  const { chromium } = require(tools.PLAYWRIGHT_CORE); // eslint-disable-line no-restricted-syntax -- setup.sh says where playwright-core is
  context = await chromium.launchPersistentContext(dirs.browser, {
    executablePath: tools.CHROMIUM, headless: true, chromiumSandbox: false, args: ['--disable-gpu', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let settle;
  const result = new Promise((resolve) => (settle = resolve));
  // Everything the workbench logs goes to workbench.log; the console gets the suite's own output
  // (mocha's reporter and the tests' console.log), not the workbench's chatter ([Tag] lines, stacks).
  const workbenchLog = fs.createWriteStream(path.join(outDir, 'workbench.log'));
  const verbose = process.env.GRADLENS_IN_HOST_VERBOSE === '1';
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = formatLog(Array.isArray(args) ? args : [args]);
    workbenchLog.write(`[${type}] ${text}\n`);
    if (!verbose && (/^\s*\[[A-Za-z]/.test(text) || /^\s*$/.test(text))) return;
    for (const line of text.split('\n')) if (verbose || !/^\s*at /.test(line)) console.log(`  ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
  page.on('pageerror', (e) => say(`page error: ${e.message}`));
  say(`opening the workbench with the in-host suite ${path.relative(repoRoot, testsPath)}/`);
  await page.goto(url);
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const outcome = await Promise.race([result, timeout]);
  if (outcome === 'timeout') {
    say(`no result within ${timeoutMs / 1000} s (see ${path.relative(repoRoot, logPath)})`);
    exitCode = 1;
  } else {
    exitCode = outcome;
    say(outcome === 0 ? 'in-host suite PASSED' : `in-host suite FAILED (exit ${outcome})`);
  }
} catch (e) {
  say(`error: ${e.stack || e}`);
  exitCode = 1;
} finally {
  await shutdown();
  log.end();
}
process.exit(exitCode);
