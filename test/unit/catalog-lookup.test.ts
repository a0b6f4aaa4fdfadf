import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogEntries, lookupModel } from '../../src/catalog/catalog';
import { recommendAlternatives } from '../../src/catalog/recommend';
import { selectCatalog, catalogCommand } from '../../src/cli/commands/catalog';
import { cpuDevice } from '../../src/energy/hardware';
import { isDisplayable } from '../../src/energy/quantity';

void test('the catalog holds at least 1,400 models with accuracy and GMACs', () => {
  const ok = catalogEntries().filter((e) => Number.isFinite(e.top1) && e.gmacs > 0 && e.energyJ > 0);
  assert.ok(ok.length >= 1400, `${ok.length}`);
});

void test('names written in code resolve to catalog entries', () => {
  const cases: [string, string][] = [
    ['resnet50', 'torchvision:resnet50.IMAGENET1K_V2'],
    ['mobilenet_v3_small', 'torchvision:mobilenet_v3_small.IMAGENET1K_V1'],
    ['vit_b_16', 'torchvision:vit_b_16.IMAGENET1K_V1'],
    ['ResNet50_Weights.IMAGENET1K_V1', 'torchvision:resnet50.IMAGENET1K_V1'],
    ['resnet50.a1_in1k', 'resnet50.a1_in1k'],
    ['timm/resnet50.a1_in1k', 'resnet50.a1_in1k'],
    ['google/vit-base-patch16-224', 'vit_base_patch16_224.orig_in21k_ft_in1k'],
    ['microsoft/resnet-50', 'resnet50.tv_in1k'],
    ['facebook/convnext-tiny-224', 'convnext_tiny.fb_in1k'],
  ];
  for (const [name, want] of cases) assert.equal(lookupModel(name)?.entry.name, want, name);
  assert.equal(lookupModel('resnet50', { library: 'timm' })?.via, 'timm-default');
  assert.equal(lookupModel('no_such_model'), undefined);
  assert.equal(lookupModel(''), undefined);
});

void test('recommender: alternatives are at least as accurate (minus tolerance), cheaper, and ranked by savings', () => {
  const r = recommendAlternatives('resnet50', { accuracyTolerance: 1, inferencesPerDay: 100000 })!;
  assert.ok(r.alternatives.length > 0);
  let last = Infinity;
  for (const a of r.alternatives) {
    assert.ok(a.entry.top1 >= r.current.top1 - 1);
    assert.ok(a.energy.value < r.currentEnergy.value);
    assert.ok(a.savings.energy.value <= last);
    assert.ok(isDisplayable(a.savings.cost) && a.evidence.length >= 3);
    last = a.savings.energy.value;
  }
  const cpu = recommendAlternatives(
    'vgg16',
    { accuracyTolerance: 0 },
    { device: cpuDevice('Intel(R) Xeon(R) Processor', 2) },
  )!;
  assert.ok(cpu.alternatives.every((a) => a.entry.top1 >= cpu.current.top1));
  assert.throws(() => recommendAlternatives('resnet50', { accuracyTolerance: Number.NaN }), /accuracy tolerance/);
});

void test('greenlens catalog filters, sorts and prints JSON; bad flags are usage errors', async () => {
  const rows = selectCatalog({ minTop1: 80, maxGmacs: 5, sort: 'top1' });
  assert.ok(rows.every((e) => e.top1 >= 80 && e.gmacs <= 5));
  assert.ok(rows.every((e, i) => i === 0 || rows[i - 1]!.top1 >= e.top1));
  let out = '';
  const io = {
    out: (t: string) => {
      out += t;
    },
    err: () => undefined,
    isTTY: false,
    cwd: '.',
  };
  assert.equal(await catalogCommand.run(['--json'], io), 0);
  const parsed = JSON.parse(out) as { count: number };
  assert.equal(
    parsed.count,
    catalogEntries().filter((e) => !e.testNetwork).length,
    'the default listing leaves test networks out',
  );
  await assert.rejects(catalogCommand.run(['--min-top1', 'abc'], io), /--min-top1 must be a number/);
  await assert.rejects(catalogCommand.run(['--sort', 'speed'], io), /--sort must be one of/);
});
