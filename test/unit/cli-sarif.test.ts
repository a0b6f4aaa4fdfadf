/**
 * SARIF 2.1.0 from `greenlens analyze --format sarif` and `greenlens check --format sarif`, validated with
 * Microsoft's SARIF multitool (`@microsoft/sarif-multitool`, a self-contained binary: no .NET needed).
 * The multitool exits 0 even when it reports errors, so its console output is read; a file with known
 * errors shows that the validation does report them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type * as Sarif from 'sarif';
import { main } from '../../src/cli/main';

const dir = mkdtempSync(path.join(tmpdir(), 'gl-sarif-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The platform binary of the multitool, when installed and executable (its postinstall makes it so). */
function multitool(): string | undefined {
  try {
    const pkg = require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`);
    const bin = path.join(path.dirname(pkg), process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
    accessSync(bin, constants.X_OK);
    return bin;
  } catch {
    return undefined;
  }
}
const TOOL = multitool();
const SKIP = TOOL ? false : 'the SARIF multitool is not installed (npm ci installs it as a devDependency)';

/** Lines of the multitool's report that are errors. */
function validate(file: string): { errors: string[]; warnings: string[] } {
  const out = execFileSync(TOOL!, ['validate', file], { encoding: 'utf8', timeout: 120_000 });
  assert.match(out, /1 files scanned/, out);
  const lines = out.split('\n');
  return {
    errors: lines.filter((l) => / error [A-Z]+\d+:/.test(l)),
    warnings: lines.filter((l) => / warning [A-Z]+\d+:/.test(l)),
  };
}

async function run(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => out.push(t), isTTY: false, cwd });
  return { code, out: out.join('\n') };
}

const ws = path.join(dir, 'ws');
mkdirSync(ws);
writeFileSync(
  path.join(ws, 'app.py'),
  'import torch\nimport torchvision\n\nmodel = torchvision.models.resnet18(weights="DEFAULT")\n\nfor x in range(10):\n    y = model(x)\n',
);
writeFileSync(path.join(ws, 'greenlens.json'), '{"hardware": {"profile": "RTX 3090"}}');

void test('the validation reports errors in a SARIF file that has them', { skip: SKIP }, () => {
  const bad = path.join(dir, 'bad.sarif');
  writeFileSync(
    bad,
    JSON.stringify({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'x', rules: [{ id: 'A', helpUri: 'relative.md' }] } },
          results: [
            {
              ruleId: 'A',
              message: { text: 'm' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'a.py' }, region: { startLine: 0 } } }],
            },
          ],
        },
      ],
    }),
  );
  assert.ok(validate(bad).errors.length >= 2);
});

void test(
  'analyze --format sarif validates, with rules, help URIs, locations, levels and fingerprints',
  { skip: SKIP },
  async () => {
    const r = await run(['analyze', ws, '--format', 'sarif'], ws);
    assert.equal(r.code, 0, r.out);
    const log = JSON.parse(r.out) as Sarif.Log;
    const run0 = log.runs[0]!;
    assert.ok(run0.results!.length > 0);
    for (const res of run0.results!) {
      assert.match(res.ruleId!, /^GL\d{3}$/);
      assert.ok(res.partialFingerprints?.['greenlensIdentity/v1']);
      assert.equal(res.locations![0]!.physicalLocation!.artifactLocation!.uri, 'app.py');
      assert.ok(res.locations![0]!.physicalLocation!.region!.startLine! >= 1);
    }
    assert.ok(run0.tool.driver.rules!.every((rule) => rule.helpUri?.endsWith(`/docs/rules/${rule.id}.md`)));
    const file = path.join(dir, 'analyze.sarif');
    writeFileSync(file, r.out);
    const v = validate(file);
    assert.deepEqual(v.errors, []);
    assert.deepEqual(v.warnings, []);
  },
);

void test('fingerprints do not change when the code moves', { skip: SKIP }, async () => {
  const prints = async (): Promise<string[]> =>
    ((JSON.parse((await run(['analyze', ws, '--format', 'sarif'], ws)).out) as Sarif.Log).runs[0]!.results ?? [])
      .map((x) => x.partialFingerprints!['greenlensIdentity/v1']!)
      .sort();
  const before = await prints();
  writeFileSync(
    path.join(ws, 'app.py'),
    `# moved\n\n\n${'# pad\n'.repeat(7)}import torch\nimport torchvision\n\nmodel = torchvision.models.resnet18(weights="DEFAULT")\n\nfor x in range(10):\n    y = model(x)\n`,
  );
  assert.deepEqual(await prints(), before);
});

void test('check --format sarif validates and carries the regression', { skip: SKIP }, async () => {
  assert.equal((await run(['check', ws, '--update'], ws)).code, 0);
  writeFileSync(
    path.join(ws, 'app.py'),
    'import torchvision\nmodel = torchvision.models.resnet152(weights="DEFAULT")\n',
  );
  const r = await run(['check', ws, '--format', 'sarif'], ws);
  assert.equal(r.code, 1, r.out);
  const log = JSON.parse(r.out) as Sarif.Log;
  const res = log.runs[0]!.results!.find((x) => x.ruleId === 'GLC001');
  assert.ok(res, r.out);
  assert.equal(res.level, 'error');
  assert.equal(res.locations![0]!.physicalLocation!.region!.startLine, 2);
  const file = path.join(dir, 'check.sarif');
  writeFileSync(file, r.out);
  assert.deepEqual(validate(file), { errors: [], warnings: [] });
});

void test('a new finding has the same fingerprint in check as in analyze', { skip: SKIP }, async () => {
  const ws2 = path.join(dir, 'ws2');
  mkdirSync(ws2);
  writeFileSync(
    path.join(ws2, 'greenlens.json'),
    '{"hardware": {"profile": "RTX 3090"}, "check": {"findingSeverity": "hint"}}',
  );
  writeFileSync(path.join(ws2, 'app.py'), 'import torchvision\nmodel = torchvision.models.resnet18()\nmodel.eval()\n');
  assert.equal((await run(['check', ws2, '--update'], ws2)).code, 0);
  writeFileSync(
    path.join(ws2, 'app.py'),
    'import torchvision\nmodel = torchvision.models.resnet18()\n\nfor x in range(10):\n    y = model(x)\n',
  );
  const fromCheck = (
    JSON.parse((await run(['check', ws2, '--format', 'sarif'], ws2)).out) as Sarif.Log
  ).runs[0]!.results!.filter((x) => /^GL\d/.test(x.ruleId!));
  const fromAnalyze = (JSON.parse((await run(['analyze', ws2, '--format', 'sarif'], ws2)).out) as Sarif.Log).runs[0]!
    .results!;
  assert.ok(fromCheck.length > 0);
  const prints = (rs: Sarif.Result[]): string[] =>
    rs.map((x) => `${x.ruleId} ${x.partialFingerprints!['greenlensIdentity/v1']}`).sort();
  assert.deepEqual(prints(fromCheck), prints(fromAnalyze));
});
