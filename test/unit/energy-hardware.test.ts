import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupHardware, cpuDevice, gpuDevice } from '../../src/energy/hardware';
import { classifyCpu, wattsPerCore, CPU_REFERENCES } from '../../src/energy/cpu-classes';
import { SOURCES } from '../../src/energy/sources';
import { parseCpuinfo, parseNvidiaSmi, resolveHardware, type DetectedHardware } from '../../src/energy/detect';

void test('real CPU and GPU names match the right table rows', () => {
  const cases: [string, string, number][] = [
    ['AMD Ryzen 9 7950X 16-Core Processor', 'AMD Ryzen 9 7950X', 170],
    ['Intel(R) Core(TM) i7-12700H', 'Intel Core i7-12700H', 45],
    ['NVIDIA GeForce RTX 3090', 'RTX 3090', 350],
    ['Tesla T4', 'T4', 70],
    ['NVIDIA A100-SXM4-40GB', 'A100 SXM4 80 GB', 400],
    ['Intel(R) Xeon(R) CPU E5-2699 v3 @ 2.30GHz', 'Intel Xeon E5-2699 v3', 145],
  ];
  for (const [name, row, tdp] of cases) {
    const m = lookupHardware(name);
    assert.equal(m?.spec.name, row, name);
    assert.equal(m?.spec.tdpW, tdp, name);
  }
});

void test('near names are not confused: 7950X is not 7950X3D, RTX 3070 is not a Xeon 3070', () => {
  assert.equal(lookupHardware('AMD Ryzen 9 7950X3D 16-Core Processor')?.spec.name, 'AMD Ryzen 9 7950X3D');
  assert.equal(lookupHardware('NVIDIA GeForce RTX 3070', 'gpu'), undefined);
  assert.equal(lookupHardware('nonsense'), undefined);
});

void test('Intel(R) Xeon(R) Processor has no entry: the Intel server per-core figures of the table are used and said', () => {
  const d = cpuDevice('Intel(R) Xeon(R) Processor', 2);
  assert.equal(d.matchedName, undefined);
  const w = wattsPerCore('intel', 'server', lookupHardware);
  assert.equal(d.tdp.value, w.value * 2);
  assert.equal(d.tdp.low, w.low * 2);
  assert.equal(d.tdp.high, w.high * 2);
  // Server CPUs of the table draw 1.3–5.6 W per logical core; the old 10 W fallback was far above that.
  assert.ok(w.low >= 1.3 && w.high <= 6 && w.value < 10);
  // The references are the table's own figures: Xeon Platinum 8375C is 300 W over 64 threads.
  assert.ok(Math.abs(w.high - 300 / 64) < 1.2);
  assert.match(d.tdp.notes.join(' '), /No TDP entry .*Intel server CPUs of that table/);
  assert.deepEqual(d.tdp.sources, [SOURCES.codecarbonCpu]);
});

void test('CPU class from the name: Xeon/EPYC server, mobile suffixes laptop, the rest desktop; every reference is in the table', () => {
  assert.deepEqual(classifyCpu('AMD EPYC 7B13'), { vendor: 'amd', cls: 'server' });
  assert.deepEqual(classifyCpu('Intel(R) Core(TM) i7-1185G7 @ 3.00GHz'), { vendor: 'intel', cls: 'laptop' });
  assert.deepEqual(classifyCpu('Intel Core i5-12400'), { vendor: 'intel', cls: 'desktop' });
  for (const r of CPU_REFERENCES) assert.equal(lookupHardware(r.name, 'cpu')?.match, 'exact', r.name);
  for (const v of ['amd', 'intel', 'other'] as const)
    for (const c of ['server', 'desktop', 'laptop'] as const) {
      const w = wattsPerCore(v, c, lookupHardware);
      assert.ok(w.low <= w.value && w.value <= w.high && w.references.length >= 2, `${v} ${c}`);
    }
});

void test('unknown GPU without a power limit gives no device; with nvidia-smi power limit it is measured', () => {
  assert.equal(gpuDevice('Imaginary GPU 9000'), undefined);
  const d = gpuDevice('Imaginary GPU 9000', 123);
  assert.equal(d?.tdp.value, 123);
  assert.equal(d?.tdp.provenance, 'measured');
});

void test('cpuinfo and nvidia-smi parsing', () => {
  assert.deepEqual(
    parseCpuinfo('model name\t: Intel(R) Xeon(R) Processor\nflags: x\nmodel name\t: Intel(R) Xeon(R) Processor\n'),
    { model: 'Intel(R) Xeon(R) Processor', logicalCores: 2 },
  );
  assert.deepEqual(parseNvidiaSmi('NVIDIA H100 80GB HBM3, 700.00, 81559\n\n'), [
    { name: 'NVIDIA H100 80GB HBM3', powerLimitW: 700, memoryMiB: 81559 },
  ]);
  assert.deepEqual(parseNvidiaSmi('Tesla T4, [N/A], 15360'), [
    { name: 'Tesla T4', powerLimitW: undefined, memoryMiB: 15360 },
  ]);
});

const machine: DetectedHardware = {
  cpu: { model: 'Intel(R) Xeon(R) Processor', logicalCores: 2 },
  gpus: [],
  notes: ['nvidia-smi not found: no NVIDIA GPU considered.'],
};

void test('hardware profile: auto, a GPU name, a CPU name, and an unknown name with a stated fallback', () => {
  assert.equal(resolveHardware('auto', machine).primary.kind, 'cpu');
  assert.equal(resolveHardware('RTX 3090', machine).primary.matchedName, 'RTX 3090');
  assert.equal(resolveHardware('AMD Ryzen 9 7950X', machine).primary.tdp.value, 170);
  const r = resolveHardware('Quantum Abacus', machine);
  assert.equal(r.primary.name, 'Intel(R) Xeon(R) Processor');
  assert.match(r.notes.join(' '), /not in the CodeCarbon CPU or ML CO2 Impact GPU tables/);
});
