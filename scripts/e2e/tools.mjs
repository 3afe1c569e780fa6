// The cached test tools (Node 24, code-server, Chromium, playwright-core): setup.sh installs what is
// missing and prints their paths as KEY=VALUE lines.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function setupTools() {
  const r = spawnSync('bash', [path.join(here, 'setup.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/e2e/setup.sh failed (exit ${r.status ?? r.signal})`);
  const env = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  for (const k of ['NODE24', 'CODE_SERVER', 'CHROMIUM', 'PLAYWRIGHT_CORE']) {
    if (!env[k]) throw new Error(`setup.sh did not print ${k}=`);
  }
  return env;
}
