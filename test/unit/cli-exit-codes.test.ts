/**
 * The CLI's exit codes, one table for every command (the same as README.md's): 0 done, 1 usage, 2 bad
 * input that names the path (missing, a folder, a named pipe, not a model), 3 a variant failed, 130 and
 * 143 after SIGINT and SIGTERM. Rows that could block (a named pipe) or need a signal run in a child.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main';
import { EXIT } from '../../src/cli/io';
import { childrenOf, spawnCli, waitExit, waitFor } from './helpers/cliProcess';

const ROOT = path.join(__dirname, '..', '..');
const MODEL = path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx');
const POSIX = process.platform !== 'win32';
const dir = mkdtempSync(path.join(tmpdir(), 'gl-exit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const at = (name: string): string => path.join(dir, name);
copyFileSync(MODEL, at('model.onnx'));
mkdirSync(at('folder.onnx'));
writeFileSync(at('text.onnx'), 'not a model');
writeFileSync(at('site.py'), 'import torchvision\nm = torchvision.models.resnet18()\n');
mkdirSync(at('ws'));
if (POSIX) {
  symlinkSync(at('model.onnx'), at('link.onnx'));
  symlinkSync('site.py', at('link.py'));
  execFileSync('mkfifo', [at('pipe.onnx'), at('pipe.py')]);
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), isTTY: false, cwd: dir } };
}

interface Row {
  args: string[];
  code: number;
  /** What stderr must say (the path, for bad input). */
  err?: RegExp;
  out?: RegExp;
  /** Needs symbolic links and named pipes. */
  posix?: boolean;
}

const ROWS: Row[] = [
  { args: ['nosuch'], code: EXIT.usage, err: /unknown command "nosuch"/ },
  { args: ['inspect'], code: EXIT.usage, err: /missing model file/ },
  { args: ['inspect', 'model.onnx'], code: EXIT.ok, out: /Parameters|params/i },
  { args: ['inspect', 'missing.onnx'], code: EXIT.input, err: /missing\.onnx: no such file/ },
  { args: ['inspect', 'folder.onnx'], code: EXIT.input, err: /folder\.onnx is a folder, not a file/ },
  { args: ['inspect', 'text.onnx'], code: EXIT.input, err: /text\.onnx/ },
  { args: ['inspect', 'link.onnx'], code: EXIT.ok, posix: true },
  { args: ['profile', 'missing.onnx'], code: EXIT.input, err: /missing\.onnx: no such file/ },
  { args: ['profile', 'folder.onnx'], code: EXIT.input, err: /folder\.onnx is a folder/ },
  { args: ['profile', 'model.onnx', '--variants', 'int3'], code: EXIT.usage, err: /unknown variant/ },
  {
    args: ['profile', 'model.onnx', '--budget', '1000000000'],
    code: EXIT.usage,
    err: /--budget must be from 100 ms to 24 h; got 1000000000 s/,
  },
  { args: ['report', 'ws', '--budget', '2000000m'], code: EXIT.usage, err: /--budget must be from 100 ms to 24 h/ },
  {
    args: ['profile-torch', 'site.py:2', '--timeout', '0.5s'],
    code: EXIT.usage,
    err: /--timeout must be from 1 s to 24 h; got 500 ms/,
  },
  { args: ['analyze', 'missing.py'], code: EXIT.input, err: /missing\.py: no such file/ },
  { args: ['analyze', 'link.py'], code: EXIT.ok, out: /link\.py:2:5: model create torchvision resnet18/, posix: true },
  { args: ['report', 'missing', '--no-profile'], code: EXIT.input, err: /missing: no such folder/ },
  { args: ['report', 'site.py', '--no-profile'], code: EXIT.input, err: /site\.py is a file, not a folder/ },
  { args: ['report', 'ws', '--no-profile', '--format', 'bad'], code: EXIT.usage, err: /--format expects/ },
  { args: ['demo', 'missing', '--out', 'demo-out'], code: EXIT.input, err: /missing: no such folder/ },
];

for (const row of ROWS) {
  void test(
    `greenlens ${row.args.join(' ')} exits ${row.code}`,
    { skip: row.posix && !POSIX && 'needs symbolic links' },
    async () => {
      const c = io();
      const code = await main(row.args, c.io);
      assert.equal(code, row.code, c.err.join('\n'));
      if (row.err) assert.match(c.err.join('\n'), row.err);
      if (row.out) assert.match(c.out.join('\n'), row.out);
    },
  );
}

void test('demo on a missing folder leaves an earlier report as it was', async () => {
  mkdirSync(at('kept'), { recursive: true });
  writeFileSync(at('kept/report.md'), '# an earlier report\n');
  assert.equal(await main(['demo', 'nowhere', '--out', 'kept'], io().io), EXIT.input);
  assert.equal(readFileSync(at('kept/report.md'), 'utf8'), '# an earlier report\n');
});

// A named pipe blocks a plain open until a writer comes: these run in a child so that a hang fails the test.
for (const cmd of ['inspect', 'profile', 'analyze']) {
  void test(
    `greenlens ${cmd} on a named pipe exits 2 at once, naming it`,
    { skip: !POSIX && 'needs named pipes' },
    async () => {
      const r = await waitExit(spawnCli([cmd, at(cmd === 'analyze' ? 'pipe.py' : 'pipe.onnx')]), 30_000);
      assert.equal(r.code, EXIT.input, r.stderr);
      assert.match(r.stderr, /pipe\.(onnx|py) is a named pipe \(FIFO\), not a file/);
    },
  );
}

for (const [sig, code] of [
  ['SIGINT', EXIT.interrupted],
  ['SIGTERM', EXIT.terminated],
] as const) {
  void test(
    `greenlens profile stopped with ${sig} exits ${code}`,
    { skip: process.platform !== 'linux' && 'reads /proc' },
    async () => {
      const child = spawnCli([
        'profile',
        at('model.onnx'),
        '--budget',
        '5m',
        '--no-cache',
        '--storage',
        at(`store-${sig}`),
      ]);
      const exited = waitExit(child, 60_000);
      // The worker exists once the command has installed its handlers and started measuring.
      await waitFor('the profiler worker', () => (childrenOf(child.pid!).length > 0 ? true : undefined), 30_000);
      child.kill(sig);
      const r = await exited;
      assert.equal(r.code, code, `signal ${r.signal}; stderr: ${r.stderr}`);
    },
  );
}
