// GradLens never runs the user's code with a real interpreter and never evaluates strings as code.
import { strict as assert } from 'node:assert';
import childProcess from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { analyze } from '../../src/analysis/analyze';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

describe('security', () => {
  it('analysis spawns no child process, even for code that would in Python', () => {
    const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
    const calls: string[] = [];
    const cp = childProcess as unknown as Record<string, unknown>;
    const saved = names.map((n) => cp[n]);
    names.forEach((n) => { cp[n] = (...args: unknown[]) => { calls.push(`${n}(${String(args[0])})`); throw new Error('spawned'); }; });
    try {
      const src = 'import os\nimport subprocess\ndef f(x):\n    os.system("touch /tmp/pwned")\n    subprocess.run(["ls"])\n    return x * 2.0\n';
      const r = analyze(src, { kind: 'function', name: 'f' }, { x: 1 });
      assert.equal(r.errors[0].kind, 'unsupported');
      assert.match(r.errors[0].message, /module 'os' is not supported/);
      const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.py'));
      for (const file of examples) analyze(readFileSync(join(root, 'examples', file), 'utf8'), { kind: 'lines', from: 1, to: 1000 });
    } finally {
      names.forEach((n, i) => { cp[n] = saved[i]; });
    }
    assert.deepEqual(calls, []);
  });

  it('the engine and the extension import no process, network or dynamic-code module', () => {
    const forbidden = /from ['"](node:)?(child_process|net|http|https|vm)['"]|require\(['"](node:)?(child_process|vm)['"]\)/;
    const offenders = sourceFiles(join(root, 'src')).filter((f) => forbidden.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('ESLint forbids eval, new Function and require of a computed name', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText('const name = process.argv[2];\neval(name);\nconst f = new Function(name);\nrequire(name);\nvoid f;\n', { filePath: join(root, 'src', 'probe.ts') });
    const rules = result.messages.map((m) => m.ruleId);
    assert.ok(rules.includes('no-eval'), JSON.stringify(rules));
    assert.ok(rules.includes('no-new-func') || rules.includes('no-restricted-syntax'));
    assert.ok(result.messages.some((m) => /no dynamic require/.test(m.message)), 'require(name) is flagged');
  });
});
