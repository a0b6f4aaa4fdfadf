import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeEstimate,
  convertEnergy,
  convertMass,
  formatEstimate,
  formatJoules,
  requireFinite,
  EnergyInputError,
  millijouleCell,
} from '../../src/energy/quantity';
import { resolveCarbonIntensity, emissions, WORLD_AVERAGE_G_PER_KWH } from '../../src/energy/carbon';
import { resolveTariff, electricityCost, instanceCost } from '../../src/energy/cost';
import { energyFromCpuTime, energyFromMacs, energyFromPower } from '../../src/energy/inference';
import { cpuDevice, gpuDevice } from '../../src/energy/hardware';
import { yearlyImpact, breakEven } from '../../src/energy/workload';

const near = (a: number, b: number, rel = 1e-9): void =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} ≉ ${b}`);

void test('units: J ↔ Wh ↔ kWh and g ↔ kg', () => {
  const e = makeEstimate(7.2e6, 'J', { method: 't' });
  near(convertEnergy(e, 'kWh').value, 2);
  near(convertEnergy(e, 'Wh').value, 2000);
  near(convertMass(makeEstimate(1500, 'gCO2e', { method: 't' }), 'kgCO2e').value, 1.5);
  assert.throws(() => convertEnergy(makeEstimate(1, 'W', { method: 't' }), 'J'), EnergyInputError);
  assert.equal(formatJoules(0.0123), '12.3 mJ');
});

void test('estimates never hold or show NaN / Infinity', () => {
  assert.throws(() => makeEstimate(Number.NaN, 'J', { method: 'x' }), EnergyInputError);
  assert.throws(() => makeEstimate(1, 'J', { method: 'x', high: Infinity }), EnergyInputError);
  assert.throws(() => requireFinite(-1, 'price'), /price must be from 0/);
  assert.doesNotMatch(
    formatEstimate({
      value: Number.NaN,
      unit: 'J',
      low: 0,
      high: Infinity,
      provenance: 'estimated',
      method: 'm',
      sources: [],
      notes: [],
    }),
    /NaN|Infinity/,
  );
});

void test('carbon intensity: country, cloud regions, override, and world average with a stated reason', () => {
  assert.equal(resolveCarbonIntensity({ carbonRegion: 'aws:us-east-1' }).value, 367.8);
  assert.equal(resolveCarbonIntensity({ carbonRegion: 'gcp:europe-west1' }).value, 122);
  assert.equal(resolveCarbonIntensity({ carbonRegion: 'azure:westeurope' }).value, 569);
  assert.ok(resolveCarbonIntensity({ carbonRegion: 'FRA' }).value < 100);
  assert.equal(resolveCarbonIntensity({ carbonRegion: 'FRA', carbonIntensity: 42 }).value, 42);
  const none = resolveCarbonIntensity({});
  assert.equal(none.value, WORLD_AVERAGE_G_PER_KWH);
  assert.match(none.notes[0]!, /No carbon region chosen: using the world average 475/);
  assert.match(resolveCarbonIntensity({ carbonRegion: 'ZZZ' }).notes[0]!, /Unknown country code/);
  assert.match(resolveCarbonIntensity({ carbonIntensity: -5 }).notes[0]!, /not a number from 0 to 2000/);
});

void test('emissions and cost: 2 kWh at 500 g/kWh = 1000 g; at 0.20 EUR = 0.40 EUR', () => {
  const e = makeEstimate(2, 'kWh', { method: 'x' });
  near(emissions(e, makeEstimate(500, 'gCO2e/kWh', { method: 'y' })).value, 1000);
  const c = electricityCost(e, resolveTariff({ electricityPrice: 0.2, currency: 'eur' }));
  near(c.value, 0.4);
  assert.equal(c.unit, 'EUR');
  const bad = resolveTariff({ electricityPrice: -3, currency: 'euros' });
  assert.equal(bad.perKWh, 0.15);
  assert.equal(bad.currency, 'USD');
  assert.equal(bad.notes.length, 2);
  near(instanceCost(makeEstimate(7200, 's', { method: 't' }), 3, 'USD').value, 6);
});

void test('estimator (a): 45 W × 0.5 s CPU time / 20 cores = 1.125 J; measured power × time', () => {
  const dev = cpuDevice('Intel(R) Core(TM) i7-12700H', 20);
  const e = energyFromCpuTime({ latencyS: 0.1, cpuTimeS: 0.5, device: dev });
  near(e.value, 1.125);
  assert.ok(e.low < e.value && e.high > e.value);
  near(energyFromPower(12, 3, 'RAPL').value, 36);
  assert.equal(energyFromPower(12, 3, 'RAPL').provenance, 'measured');
  const capped = energyFromCpuTime({ latencyS: 0.1, cpuTimeS: 5, device: dev });
  near(capped.value, 45 * 0.1);
});

void test('estimator (b): resnet50 on the RTX 3090 lands near board power ÷ measured throughput', () => {
  const e = energyFromMacs({ gmacs: 4.11, mactsM: 11.11, device: gpuDevice('NVIDIA GeForce RTX 3090')! });
  const measured = 350 / 3219.06;
  assert.ok(e.low <= measured && measured <= e.high, `${measured} outside ${e.low}..${e.high}`);
  assert.throws(() => energyFromMacs({ gmacs: -1, device: gpuDevice('RTX 3090')! }), EnergyInputError);
});

void test('workload: 1 J × 1000/day = 365 kJ/year = 0.1014 kWh; break-even and not worth it', () => {
  const y = yearlyImpact(
    makeEstimate(1, 'J', { method: 'x' }),
    1000,
    makeEstimate(400, 'gCO2e/kWh', { method: 'y' }),
    resolveTariff({ electricityPrice: 0.3, currency: 'USD' }),
  );
  near(y.energy.value, 365000 / 3.6e6);
  near(y.co2.value, (365000 / 3.6e6) * 0.4);
  near(y.cost.value, (365000 / 3.6e6) * 0.3);
  const be = breakEven(100, makeEstimate(365, 'USD', { method: 's', low: 182.5, high: 730 }));
  assert.ok(be.worthIt);
  if (be.worthIt) {
    near(be.days.value, 100);
    near(be.days.high, 200);
    near(be.days.low, 50);
  }
  const maybe = breakEven(100, makeEstimate(365, 'USD', { method: 's', low: 0, high: 730 }));
  assert.ok(
    maybe.worthIt && maybe.mayNever && maybe.days.high === maybe.days.value,
    'no invented late end when savings may be zero',
  );
  assert.match(maybe.message, /never\.$/);
  const no = breakEven(100, makeEstimate(-2, 'USD', { method: 's' }));
  assert.equal(no.worthIt, false);
  assert.match(no.message, /^Not worth it/);
});

void test('the placeholder price is labelled as the default, a chosen price as the user’s', () => {
  const j = makeEstimate(3.6e6, 'J', { method: 'm' });
  const dflt = electricityCost(j, resolveTariff({ electricityPrice: 0.15, currency: 'USD' }));
  assert.ok(
    dflt.sources.some((s) => /default electricity price 0\.15 USD\/kWh \(placeholder, not user-provided/.test(s)),
  );
  assert.ok(!dflt.sources.some((s) => /user-provided value/.test(s)));
  assert.match(dflt.method, /default price/);
  const mine = electricityCost(j, resolveTariff({ electricityPrice: 0.3, currency: 'EUR' }));
  assert.ok(mine.sources.some((s) => /user-provided value/.test(s)));
});

void test('table cells: estimates carry ≈ and their band, plain measurements do not', () => {
  assert.equal(
    millijouleCell(makeEstimate(0.0012, 'J', { method: 'm', low: 0.001, high: 0.0015 })),
    '≈ 1.200 mJ (1.000–1.500)',
  );
  assert.equal(millijouleCell(makeEstimate(0.0012, 'J', { method: 'm', provenance: 'measured' })), '1.200 mJ');
});
