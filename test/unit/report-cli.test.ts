/** `greenlens demo` and `greenlens report` end to end over examples/, run in-process from source. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { main } from '../../src/cli/main';
import { datasetFor } from '../../src/cli/pipeline';
import type { Report } from '../../src/report/types';
import { tempDir } from './helpers/tempDir';

const ROOT = path.join(__dirname, '..', '..');
const BUILT = existsSync(path.join(ROOT, 'dist', 'webview.js'));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), isTTY: false, cwd: ROOT },
  };
}

function validate(json: unknown): void {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const v = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'docs', 'report.schema.json'), 'utf8')) as object);
  assert.ok(v(json), JSON.stringify(v.errors?.slice(0, 3)));
}

void test('the bundled model gets the labelled Fashion-MNIST test set; other names get none', () => {
  const examples = path.join(ROOT, 'examples');
  assert.equal(
    datasetFor(examples, path.join(examples, 'models', 'fashion_mlp.onnx')),
    path.join(examples, 'data', 'fashion-mnist-test'),
  );
  assert.equal(datasetFor(examples, path.join(examples, 'models', 'resnet18.onnx')), undefined);
});

void test(
  'greenlens demo writes the four reports and prints the summary table',
  { skip: !BUILT && 'needs the build (dist/webview.js)' },
  async () => {
    const out = tempDir('gl-demo-');
    const c = io();
    const code = await main(['demo', 'examples', '--out', out, '--budget', '3s', '--inferences-per-day', '1e9'], c.io);
    // A second run in the same folder takes its results from the cache there: same variant files.
    assert.equal(
      await main(['demo', 'examples', '--out', out, '--budget', '3s', '--inferences-per-day', '1e9'], io().io),
      0,
    );
    assert.equal(code, 0, c.err.join('\n'));
    for (const f of ['report.html', 'report.md', 'report.json', 'report.csv'])
      assert.ok(existsSync(path.join(out, f)), f);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    validate(report);
    const onnx = report.models.find((m) => m.id === 'onnx:models/fashion_mlp.onnx')!;
    assert.ok(
      report.points.filter((p) => p.modelId === onnx.id).every((p) => p.quality?.metric === 'accuracy'),
      'true accuracy from the labelled test set',
    );
    assert.equal(onnx.profile?.modelPath, 'models/fashion_mlp.onnx', 'no absolute path in the report');
    assert.ok(
      onnx
        .profile!.variants.filter((v) => v.modelPath && v.kind !== 'baseline')
        .every((v) => v.modelPath!.startsWith('variants/') && existsSync(path.join(out, v.modelPath!))),
    );
    assert.equal(report.assumptions.inferencesPerDay, 1e9);
    const text = c.out.join('\n');
    assert.match(text, /^model +energy\/inf +kWh\/yr +best recommendation +verdict +saves\/yr$/m);
    assert.match(text, /^models\/fashion_mlp\.onnx +≈ [\d.]+ [mµ]J/m);
    assert.match(text, /Wrote .*report\.html, .*report\.md, .*report\.json, .*report\.csv/);
    assert.ok(
      readFileSync(path.join(out, 'report.html'), 'utf8').includes(
        '<script type="application/json" id="greenlens-report">',
      ),
    );
  },
);

void test('greenlens report prints one format, applies settings flags and reports bad ones', async () => {
  const c = io();
  const code = await main(
    [
      'report',
      'examples',
      '--no-profile',
      '--format',
      'json',
      '--currency',
      'eur',
      '--price',
      'cheap',
      '--region',
      'FRA',
    ],
    c.io,
  );
  assert.equal(code, 0, c.err.join('\n'));
  const report = JSON.parse(c.out.join('\n')) as Report;
  validate(report);
  assert.equal(report.summary.profiled, 0);
  assert.equal(report.assumptions.electricity.currency, 'EUR');
  assert.equal(report.assumptions.electricity.perKWh, 0.15);
  assert.match(report.assumptions.carbonIntensity.method, /France/);
  assert.match(c.err.join('\n'), /warning: --price must be a number/);
  const bad = io();
  assert.equal(await main(['report', 'examples', '--format', 'pdf'], bad.io), 1);
  assert.match(bad.err.join('\n'), /--format expects one of html, md, json, csv/);
});
