// Runs every suite (typecheck, lint, unit + differential mocha, end-to-end in a real VS Code) and
// ends with one line summing them: "N passed, M failed".
import { spawnSync } from 'node:child_process';

const skipE2E = process.argv.includes('--unit-only');
let passed = 0;
let failed = 0;
const notes = [];

function run(name, command, args, count) {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(result.stdout ?? '');
  const counted = count(result.stdout ?? '', result.status);
  passed += counted.passed;
  failed += counted.failed;
  if (result.status !== 0 && counted.failed === 0) {
    failed += 1;
    notes.push(`${name} exited with ${result.status ?? result.signal}`);
  }
}

// A step that is one check: it passes or fails as a whole.
const asOne = (_out, status) => (status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
// mocha's spec reporter prints "N passing" and "M failing".
const mochaCount = (out) => {
  const passing = /(\d+) passing/.exec(out);
  const failing = /(\d+) failing/.exec(out);
  return { passed: passing ? Number(passing[1]) : 0, failed: failing ? Number(failing[1]) : 0 };
};
const e2eCount = (out) => {
  const m = /E2E: (\d+) passed, (\d+) failed/.exec(out);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: 0, failed: 0 };
};

run('typecheck', 'npm', ['run', '--silent', 'typecheck'], asOne);
run('lint', 'npm', ['run', '--silent', 'lint'], asOne);
run('build', 'npm', ['run', '--silent', 'build'], asOne);
run('unit', 'npx', ['mocha'], mochaCount);
if (!skipE2E) run('e2e', 'npm', ['run', '--silent', 'test:e2e'], e2eCount);
else notes.push('end-to-end tests not run (--unit-only)');

for (const n of notes) process.stdout.write(`note: ${n}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
