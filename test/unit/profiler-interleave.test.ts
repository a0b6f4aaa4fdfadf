/**
 * The interleaved measurement's statistics and scheduling, driven by fake clocks, runs and load readers
 * so that nothing depends on this machine's timer, core count or load: paired ratio intervals and their
 * coverage under simulated drift, verdicts, what a longer run would tell, the clock-granularity floor,
 * block sizing, round orders, bookkeeping outside timed blocks, and load monitoring.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatSpeedup,
  ratioHalfWidthPct,
  ratioInterval,
  resolutionNote,
  savesEnergy,
  speedVerdict,
  combinePasses,
  tQuantile,
} from '../../src/profiler/compare';
import {
  blockEnergy,
  blockFigures,
  blockTargetMs,
  compareLanes,
  estimatorFor,
  interleave,
  measureGranularity,
  runsPerBlock,
  sharedRunsPerBlock,
  shuffledOrder,
  summarizeLane,
  worstIntervalPct,
  type Clock,
  type LaneLog,
} from '../../src/profiler/interleave';
import {
  anotherPassFits,
  comparePasses,
  mergeLogs,
  minPassLoopMs,
  passCount,
  passCreateMs,
  splitPasses,
} from '../../src/profiler/passes';
import { heavyLoadWarning, LoadMonitor, loadNotes, parseCpuinfoMhz, type LoadReaders } from '../../src/profiler/load';
import { seededRandom } from '../../src/random';
import { Schedule } from '../../src/profiler/schedule';

const normal = (r: () => number) => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());

void test('the ratio interval is the sign-test interval of the paired log ratios, symmetric under inversion', () => {
  const base = [10, 11, 12, 10, 10.5, 11.5, 10, 12, 11, 10.2, 10.8, 11.1];
  const variant = base.map((b, i) => b / (1.2 + (i % 3) * 0.01));
  const r = ratioInterval(base, variant);
  assert.ok(r.low <= r.value && r.value <= r.high);
  assert.ok(Math.abs(r.value - 1.21) < 0.011, String(r.value));
  const inv = ratioInterval(variant, base);
  assert.ok(
    Math.abs(inv.value * r.value - 1) < 1e-12 &&
      Math.abs(inv.low * r.high - 1) < 1e-12 &&
      Math.abs(inv.high * r.low - 1) < 1e-12,
  );
  assert.deepEqual(
    ratioInterval([1, 2, 3], [1, 2, 3]),
    { value: 1, low: 0, high: Infinity },
    'fewer than six pairs: unbounded',
  );
  // Identical pairs give a zero-width interval, which the floor widens to what the clock resolves.
  const same = ratioInterval([5, 5, 5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5, 5, 5], 0.95, 0.01);
  assert.equal(same.value, 1);
  assert.ok(Math.abs(same.high - 1.01) < 1e-12 && Math.abs(same.low - 1 / 1.01) < 1e-12);
  assert.ok(ratioInterval(base, variant, 0.99).high >= r.high, 'a 99 % interval is at least as wide');
  assert.ok(Math.abs(ratioHalfWidthPct({ value: 2, low: 1.9, high: 2.2 }) - 10) < 1e-9);
  assert.equal(ratioHalfWidthPct({ value: 2, low: 0, high: Infinity }), Infinity);
});

void test('verdicts: faster or slower only when the interval excludes 1; what a longer run would tell', () => {
  assert.equal(speedVerdict({ value: 1.3, low: 1.1, high: 1.5 }), 'faster');
  assert.equal(speedVerdict({ value: 0.8, low: 0.7, high: 0.9 }), 'slower');
  assert.equal(speedVerdict({ value: 1.05, low: 0.98, high: 1.12 }), 'no measurable difference');
  assert.equal(savesEnergy({ value: 0.8, low: 0.7, high: 0.95 }), true);
  assert.equal(savesEnergy({ value: 0.8, low: 0.6, high: 1.02 }), false);
  assert.equal(resolutionNote({ value: 1.3, low: 1.1, high: 1.5 }, 10_000), undefined);
  // Half-width ln(1.1) against a difference of ln(1.03): about (0.0953 / 0.0296)² × 1.1 ≈ 11.4 times.
  const longer = resolutionNote({ value: 1.03, low: 1.03 / 1.1, high: 1.03 * 1.1 }, 10_000) ?? '';
  assert.match(longer, /about 11\.\d times this run's measuring time \(about 11\d s/);
  assert.match(resolutionNote({ value: 1.002, low: 0.99, high: 1.01 }, 10_000) ?? '', /no difference that matters/);
  assert.match(resolutionNote({ value: 1.01, low: 0.8, high: 1.25 }, 10_000) ?? '', /over 100 times/);
  assert.match(resolutionNote({ value: 1, low: 0, high: Infinity }, 1000) ?? '', /Too few/);
  assert.equal(formatSpeedup({ value: 1.234, low: 1.1, high: 1.3 }), '1.23× (1.10–1.30)');
  assert.equal(formatSpeedup({ value: 1, low: 1, high: 1 }), '1.00×');
});

/**
 * Rounds of a baseline and a variant under load that drifts slowly (a neighbour starting and stopping)
 * plus independent noise per block. Interleaved: both blocks of a round see the same load. Sequential:
 * the baseline's blocks all come first, the variant's after, as a one-after-the-other profile measures.
 */
function simulate(
  r: () => number,
  rounds: number,
  effect: number,
  interleaved: boolean,
): { base: number[]; variant: number[] } {
  const drift = (t: number) => 1 + 0.3 * (t > 0.5 ? 1 : 0) + 0.1 * Math.sin(6 * t);
  const base: number[] = [];
  const variant: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const tb = interleaved ? i / rounds : i / (2 * rounds);
    const tv = interleaved ? i / rounds : 0.5 + i / (2 * rounds);
    base.push(10 * drift(tb) * Math.exp(0.05 * normal(r)));
    variant.push(10 * effect * drift(tv) * Math.exp(0.05 * normal(r)));
  }
  return { base, variant };
}

void test('paired intervals hold 1 about 95 % of the time for A/A under drift, and find a 10 % difference; sequential ones do not', () => {
  const r = seededRandom(7);
  let aa = 0;
  let ab = 0;
  let seqAa = 0;
  const trials = 600;
  for (let i = 0; i < trials; i++) {
    const a = simulate(r, 60, 1, true);
    const s = ratioInterval(a.base, a.variant);
    if (s.low <= 1 && s.high >= 1) aa++;
    const b = simulate(r, 60, 1.1, true);
    if (speedVerdict(ratioInterval(b.base, b.variant)) === 'slower') ab++;
    const q = simulate(r, 60, 1, false);
    const sq = ratioInterval(q.base, q.variant);
    if (sq.low <= 1 && sq.high >= 1) seqAa++;
  }
  assert.ok(aa / trials > 0.92 && aa / trials < 0.985, `A/A coverage ${aa / trials}`);
  assert.ok(ab / trials > 0.95, `A/B detection ${ab / trials}`);
  assert.ok(seqAa / trials < 0.2, `one after the other, the drift looks like a difference: coverage ${seqAa / trials}`);
});

void test('clock granularity: the smallest step of a coarse fake clock; a clock that never moves has none', () => {
  let calls = 0;
  // A clock that advances 1 µs every 7 readings.
  const coarse = () => Math.floor(calls++ / 7) * 0.001;
  const g = measureGranularity(coarse, 5000);
  assert.ok(Math.abs(g.granularityMs - 0.001) < 1e-12, String(g.granularityMs));
  assert.equal(measureGranularity(() => 5, 100).granularityMs, Infinity);
  // Blocks last at least 100 granularity steps, between 2 and 50 ms otherwise, about 60 rounds in the budget.
  assert.equal(blockTargetMs(60_000, 5, 0.0001), 50);
  assert.equal(blockTargetMs(6000, 2, 0.0001), 50);
  assert.equal(blockTargetMs(1200, 2, 0.0001), 10);
  assert.equal(blockTargetMs(100, 2, 0.0001), 2);
  assert.equal(blockTargetMs(100, 2, 0.5), 50, 'a 0.5 ms clock step needs 50 ms blocks');
  assert.equal(blockTargetMs(100, 2, Infinity), 2);
  assert.equal(runsPerBlock(0.015, 2), 134);
  assert.equal(runsPerBlock(300, 2), 1);
});

void test('round orders are permutations, seeded, and vary from round to round', () => {
  const a = seededRandom(3);
  const b = seededRandom(3);
  const orders = Array.from({ length: 50 }, () => shuffledOrder(4, a).join(''));
  assert.deepEqual(
    orders,
    Array.from({ length: 50 }, () => shuffledOrder(4, b).join('')),
  );
  for (const o of orders) assert.deepEqual([...o].sort().join(''), '0123');
  assert.ok(new Set(orders).size > 10, 'many different orders');
  const firsts = new Set(orders.map((o) => o[0]));
  assert.equal(firsts.size, 4, 'every lane goes first sometimes');
});

/** A fake clock: runs and bookkeeping advance it by set amounts; CPU time follows wall time. */
function fakeClock(): Clock & { t: number } {
  const c = { t: 0, now: () => c.t, cpuMs: () => c.t * 0.9 };
  return c;
}

void test('a starved loop runs on past its budget for eight rounds, but only within its grace time', async () => {
  // Rounds of 100 ms against a 50 ms budget: three budgets of grace end the loop after two rounds, a
  // grace of one second lets it reach the eight rounds an interval needs.
  const loop = async (graceMs?: number) => {
    const clock = fakeClock();
    const lanes = [0, 1].map(() => ({
      run: () => {
        clock.t += 50;
      },
      runs: 1,
      batch: 1,
    }));
    return interleave(lanes, {
      budgetMs: 50,
      targetPct: -1,
      clock,
      random: seededRandom(1),
      worstPct: () => Infinity,
      ...(graceMs !== undefined ? { graceMs } : {}),
    });
  };
  assert.equal((await loop()).rounds, 2);
  assert.equal((await loop(1000)).rounds, 8);
});

void test('the interleaved loop: one block per lane per round, bookkeeping outside the blocks, stops at target or budget', async () => {
  const clock = fakeClock();
  const order: number[] = [];
  const lanes = [1, 1.25].map((ms, i) => ({
    run: () => {
      clock.t += ms;
      order.push(i);
    },
    runs: 4,
    batch: 1,
  }));
  let betweenCalls = 0;
  const res = await interleave(lanes, {
    budgetMs: 200,
    targetPct: -1,
    clock,
    random: seededRandom(1),
    worstPct: (logs) => {
      clock.t += 3;
      return worstIntervalPct(logs, [1, 1], 0.001);
    },
    between: () => {
      betweenCalls++;
      clock.t += 5;
    },
  });
  assert.equal(res.stoppedBy, 'budget');
  assert.equal(betweenCalls, res.rounds);
  const [a, b] = res.logs as [LaneLog, LaneLog];
  assert.equal(a.blockMs.length, res.rounds);
  assert.equal(b.blockMs.length, res.rounds);
  // Every block times exactly its own runs: the bookkeeping's 5 ms and the checks' 3 ms are not in them.
  for (const ms of a.blockMs) assert.equal(ms, 4);
  for (const ms of b.blockMs) assert.equal(ms, 5);
  assert.equal(a.recorded, 4 * res.rounds);
  assert.deepEqual(Array.from(a.runTimes.subarray(0, 4)), [1, 1, 1, 1]);
  // Each round holds 4 runs of each lane, in blocks.
  for (let i = 0; i < order.length; i += 8)
    assert.deepEqual([...order.slice(i, i + 8)].sort(), [0, 0, 0, 0, 1, 1, 1, 1]);
  const cmp = compareLanes(a, 1, b, 1, { granularityMs: 0.001, level: 0.95, cores: 2 });
  assert.equal(cmp.speedup.value, 0.8);
  assert.equal(speedVerdict(cmp.speedup), 'slower');
  // Runs of 1 and 1.25 ms are 1000 clock steps long: each block says what its median run took. The
  // identical blocks give no spread, so the interval is the clock's floor (0.001 ms against 1 and 1.25 ms runs).
  assert.equal(cmp.mode, 'median');
  assert.ok(Math.abs(Math.log(cmp.speedup.high / cmp.speedup.value) - Math.log1p(0.001 / 1 + 0.001 / 1.25)) < 1e-12);
  const s = summarizeLane(a, 0.001);
  assert.equal(s.p50, 1);
  assert.ok(Math.abs(s.ciPct - 0.1) < 1e-12, 'never narrower than the granularity allows');
  // With a clock step of 0.05 ms a 1 ms run is only 20 steps long: only whole blocks (4 ms) are resolved.
  assert.equal(estimatorFor([a, b], 0.05), 'mean');
  assert.ok(Math.abs(summarizeLane(a, 0.05).ciPct - (0.05 / 4) * 100) < 1e-12);
  assert.ok(Math.abs(s.cpuMsPerRun - 0.9) < 1e-9);
  // A reachable target stops the loop at the first check after the minimum rounds.
  const quick = await interleave(lanes, {
    budgetMs: 1e9,
    targetPct: 5,
    clock,
    random: seededRandom(2),
    worstPct: (logs) => worstIntervalPct(logs, [1, 1], 0.001),
    minRounds: 12,
  });
  assert.equal(quick.stoppedBy, 'target');
  assert.equal(quick.rounds, 12);
  const capped = await interleave(lanes, {
    budgetMs: 1e9,
    targetPct: -1,
    clock,
    random: seededRandom(2),
    worstPct: () => 50,
    maxRounds: 20,
  });
  assert.equal(capped.stoppedBy, 'max-rounds');
  // Past its budget, the loop still runs 8 rounds so that a 99 % interval exists.
  const late = await interleave(lanes, {
    budgetMs: 40,
    targetPct: -1,
    clock,
    random: seededRandom(2),
    worstPct: () => 50,
  });
  assert.equal(late.rounds, 8);
});

void test('energy per block: metered joules when every block has them, else CPU time capped at wall time × cores', () => {
  const log: LaneLog = {
    blockMs: [10, 10],
    blockCpuMs: [30, 8],
    blockJ: [],
    runs: 4,
    runTimes: new Float64Array(0),
    recorded: 0,
  };
  assert.deepEqual(blockEnergy(log, 1, 2), { values: [10, 4], metered: false });
  assert.deepEqual(blockEnergy({ ...log, blockJ: [0.5, 0.7] }, 2, 2), { values: [0.125, 0.175], metered: true });
});

function fakeReaders(
  stats: { busy: number; total: number }[],
  own: number[],
  mhz: (number | undefined)[],
): LoadReaders {
  let i = 0;
  let j = 0;
  let k = 0;
  return { procStat: () => stats[i++], ownCpuMs: () => own[j++] ?? 0, cpuMhz: () => mhz[k++], cpus: 2 };
}

void test('load monitoring: foreign load is machine load less our own; a rise widens the intervals and is said', () => {
  // Windows of 1000 ms on 2 CPUs (200 jiffies each): we keep one CPU busy; others add 0.1, then 1.1 CPUs.
  const stats = [
    { busy: 0, total: 0 },
    { busy: 110, total: 200 },
    { busy: 320, total: 400 },
    { busy: 530, total: 600 },
  ];
  const m = new LoadMonitor(fakeReaders(stats, [0, 1000, 2000, 3000], [2000, 2400, 1900, 2000]), 250);
  m.sample(0);
  m.sample(100); // Inside the window: nothing read.
  m.sample(1000);
  m.sample(2000);
  m.sample(3000);
  const r = m.report();
  assert.ok(r);
  assert.ok(Math.abs(r.foreignCpusAtStart - 0.1) < 1e-9);
  assert.ok(Math.abs(r.foreignCpusMean - 1.1) < 1e-9);
  assert.equal(r.rose, true);
  assert.deepEqual(r.cpuMhz, { min: 1900, max: 2400 });
  const notes = loadNotes(r, 2);
  assert.match(notes[0] ?? '', /rose during the measurement .* 99 % instead of 95 %/);
  assert.match(notes[1] ?? '', /clock varied from 1900 to 2400 MHz/);
  const steady = new LoadMonitor(
    fakeReaders(
      [
        { busy: 0, total: 0 },
        { busy: 100, total: 200 },
        { busy: 200, total: 400 },
      ],
      [0, 1000, 2000],
      [],
    ),
    250,
  );
  for (const t of [0, 1000, 2000]) steady.sample(t);
  assert.equal(steady.report()?.rose, false);
  assert.equal(new LoadMonitor(fakeReaders([], [], []), 250).report(), undefined);
  assert.match(loadNotes(undefined, 2)[0] ?? '', /could not be read/);
  assert.match(heavyLoadWarning(1.8, 2) ?? '', /machine is busy \(1\.8 of 2 CPUs/);
  assert.equal(heavyLoadWarning(1, 2), undefined);
  assert.equal(parseCpuinfoMhz('cpu MHz\t\t: 2000.000\ncpu MHz\t\t: 3000.5\n'), 2500.25);
  assert.equal(parseCpuinfoMhz('nothing'), undefined);
});

void test('the interleaved job gets the time left less a worker start, and a minimum per contestant', () => {
  let now = 0;
  const s = new Schedule(60_000, () => now);
  now = 20_000;
  assert.equal(s.interleaveBudgetMs(3, 500), 39_000);
  now = 70_000;
  assert.equal(s.interleaveBudgetMs(3, 500), 1100, 'past the deadline, the variants are still compared');
});

void test('a block that a preemption hit in one run keeps its median; lead-in runs stay out of the timing', async () => {
  const clock = fakeClock();
  let calls = 0;
  // Every block's third run is slowed by 20 ms of other work; the lead-in run costs 7 ms and is not timed.
  const lane = {
    run: () => {
      calls++;
      clock.t += calls % 6 === 1 ? 7 : calls % 6 === 4 ? 21 : 1;
    },
    runs: 5,
    batch: 1,
    leadIn: true,
  };
  const res = await interleave([lane], {
    budgetMs: 1e9,
    targetPct: -1,
    clock,
    random: seededRandom(1),
    worstPct: () => 50,
    maxRounds: 3,
  });
  const [log] = res.logs as [LaneLog];
  assert.equal(calls, 18, 'six calls per block: the lead-in and five timed runs');
  assert.deepEqual(log.blockMs, [25, 25, 25]);
  assert.deepEqual(blockFigures(log, 'median'), [1, 1, 1]);
  assert.deepEqual(blockFigures(log, 'mean'), [5, 5, 5]);
});

void test('passes: a spread beyond their own noise widens the pooled interval; logs merge in order; passes worth their loading', () => {
  const pooled = { value: 1.0, low: 0.99, high: 1.01 };
  assert.deepEqual(combinePasses(pooled, [{ value: 1.02, low: 1, high: 1.04 }]), pooled, 'one pass: nothing to add');
  // Passes that agree within their own intervals: no excess spread (τ² = 0); the interval of their mean
  // (standard error about 1.02 % / √3) takes t(2) = 4.303 for three layouts, about ±2.5 %.
  const agree = [
    { value: 1.0, low: 0.98, high: 1.02 },
    { value: 1.005, low: 0.985, high: 1.025 },
    { value: 0.998, low: 0.978, high: 1.018 },
  ];
  const same = combinePasses(pooled, agree);
  assert.ok(same.low > 0.97 && same.low < 0.98 && same.high > 1.02 && same.high < 1.03, JSON.stringify(same));
  // Passes at 0.95, 1.0 and 1.05, each sure of itself to ±0.5 %: a session effect the rounds of one pass
  // cannot show. τ² is about the variance of their logs (0.0025), and with t(2) = 4.303 the interval holds
  // 1 ± about 4.303 × √((0.0025 + 0.0000065) / 3) ≈ 12 %.
  const spread = [0.95, 1, 1.05].map((x) => ({ value: x, low: x / 1.005, high: x * 1.005 }));
  const wide = combinePasses({ value: 1.0, low: 0.995, high: 1.005 }, spread);
  assert.ok(wide.low < 0.9 && wide.low > 0.87 && wide.high > 1.1 && wide.high < 1.15, JSON.stringify(wide));
  assert.equal(tQuantile(2, 0.95), 4.303);
  assert.equal(tQuantile(1, 0.99), 63.657);
  assert.ok(Math.abs(tQuantile(1000, 0.95) - 1.96) < 0.01);
  assert.deepEqual(
    combinePasses({ value: 1, low: 0.5, high: 2 }, agree),
    { value: 1, low: 0.5, high: 2 },
    'never narrower than the pooled interval',
  );
  assert.deepEqual(
    combinePasses(pooled, [{ value: 1, low: 0, high: Infinity }, agree[0]!]),
    pooled,
    'a pass without an interval is left out',
  );
  const a: LaneLog = {
    blockMs: [1, 2],
    blockCpuMs: [1, 1],
    blockJ: [],
    runs: 4,
    runTimes: Float64Array.from([0.5, 0.5, 1, 1]),
    recorded: 4,
  };
  const b: LaneLog = {
    blockMs: [3],
    blockCpuMs: [2],
    blockJ: [],
    runs: 2,
    runTimes: Float64Array.from([1.5, 1.5, 9]),
    recorded: 2,
  };
  const merged = mergeLogs([a, b]);
  assert.deepEqual([merged.blockMs, merged.blockCpuMs, merged.runs, merged.recorded], [[1, 2, 3], [1, 1, 2], 6, 6]);
  assert.deepEqual(Array.from(merged.runTimes), [0.5, 0.5, 1, 1, 1.5, 1.5]);
  assert.equal(passCount(60_000, 300), 10);
  assert.equal(passCount(5000, 500), 6);
  assert.equal(passCount(5000, 1000), 3);
  assert.equal(passCount(5000, 1300), 3, 'never two passes: a third while three fit in 80 % of the budget');
  assert.equal(passCount(5000, 1400), 1);
  assert.equal(passCount(5000, 4000), 1);
});

void test('the first session of a process does not decide the passes; a later pass starts only while it fits the time left', () => {
  // The first creation also started onnxruntime's environment: 600 ms against 100 ms for the others.
  assert.equal(passCreateMs([600, 100], true), 200);
  assert.equal(passCreateMs([600, 100], false), 700, 'later passes and warm processes count every creation');
  assert.equal(passCreateMs([600], true), 600);
  assert.equal(passCount(5000, passCreateMs([600, 100], true)), 10);
  assert.equal(passCount(5000, 700), 4, 'what the first pass alone would have suggested');
  // Runs of 200 ms: twelve rounds of two lanes take 4.8 s, so a 20 s budget holds three passes, not ten.
  assert.equal(minPassLoopMs([200, 200]), 4800);
  assert.equal(minPassLoopMs([0.1, 0.1]), 48, 'blocks last at least 2 ms');
  assert.equal(passCount(20_000, 100, 4800), 4);
  assert.equal(passCount(20_000, 100, 8000), 1, 'two passes would give no interval, three do not fit');
  assert.ok(anotherPassFits(1000, 700, 2));
  assert.ok(
    !anotherPassFits(850, 700, 2),
    'creating the sessions again and a 100 ms loop per contestant no longer fit',
  );
});

void test('a log tagged by pass splits into its passes; passes are compared pairwise and combined', () => {
  const log: LaneLog = {
    blockMs: [2, 2, 4, 4, 4],
    blockCpuMs: [2, 2, 4, 4, 4],
    blockJ: [],
    runs: 10,
    runTimes: new Float64Array(0),
    recorded: 0,
    blockMedianMs: [1, 1, 2, 2, 2],
  };
  const parts = splitPasses(log, [0, 0, 1, 1, 1]);
  assert.deepEqual(
    parts.map((p) => [p.blockMs, p.runs, p.blockMedianMs]),
    [
      [[2, 2], 4, [1, 1]],
      [[4, 4, 4], 6, [2, 2, 2]],
    ],
  );
  assert.deepEqual(splitPasses(log, undefined), [log]);
  assert.deepEqual(splitPasses(log, [0, 1]), [log], 'tags that do not fit the blocks are ignored');
  // Two passes where the variant is 2 % faster in one and 2 % slower in the other: each pass alone is
  // sure of its direction, the combination holds 1.
  const pass = (f: number): LaneLog => {
    const blockMs = Array.from({ length: 30 }, (_, r) => 10 * f * (1 + 0.001 * Math.sin(r)));
    return { blockMs, blockCpuMs: blockMs, blockJ: [], runs: 30, runTimes: new Float64Array(0), recorded: 0 };
  };
  const base = [pass(1), pass(1), pass(1)];
  const v = [pass(0.98), pass(1.02), pass(1.0)];
  const cmp = comparePasses(base, 1, v, 1, { granularityMs: 1e-6, level: 0.95, cores: 1, mode: 'mean' });
  assert.deepEqual(
    cmp.passSpeedups.map((s) => speedVerdict(s)),
    ['faster', 'slower', 'no measurable difference'],
  );
  assert.ok(cmp.speedup.low < 1 && cmp.speedup.high > 1, JSON.stringify(cmp.speedup));
});

void test('passes that happen to agree do not hide the layout effect: A/A intervals hold 1 at their nominal rate', () => {
  // Three passes of one A/A comparison on a busy machine, each with freshly created sessions: the passes
  // agree within their own noise, so τ² = 0, and the rounds pooled over the passes excluded 1.
  const seen = [
    { value: 1.0086, low: 0.954, high: 1.039 },
    { value: 1.0296, low: 1.02, high: 1.059 },
    { value: 1.0256, low: 1.003, high: 1.065 },
  ];
  const one = combinePasses({ value: 1.0245, low: 1.011, high: 1.041 }, seen);
  assert.ok(one.low <= 1 && one.high >= 1, JSON.stringify(one));
  // Simulated: a layout effect of 2 % (log scale) per pass, within-pass noise of 0.5–2 %, three to seven passes.
  const r = seededRandom(11);
  const trials = 2000;
  let held = 0;
  let found = 0;
  for (let t = 0; t < trials; t++) {
    for (const mu of [0, Math.log(0.91)]) {
      const k = 3 + (t % 5);
      const se = Array.from({ length: k }, () => 0.005 + 0.015 * r());
      const theta = se.map((s) => mu + 0.02 * normal(r) + s * normal(r));
      const passes = theta.map((x, i) => ({
        value: Math.exp(x),
        low: Math.exp(x - 1.96 * (se[i] ?? 0)),
        high: Math.exp(x + 1.96 * (se[i] ?? 0)),
      }));
      const m = theta.reduce((a, b) => a + b, 0) / k;
      const pooledSe = Math.sqrt(se.reduce((a, b) => a + b * b, 0)) / k;
      const c = combinePasses(
        { value: Math.exp(m), low: Math.exp(m - 1.96 * pooledSe), high: Math.exp(m + 1.96 * pooledSe) },
        passes,
      );
      if (mu === 0 && c.low <= 1 && c.high >= 1) held++;
      if (mu < 0 && c.high < 1) found++;
    }
  }
  assert.ok(held / trials >= 0.95, `A/A coverage ${held / trials}`);
  assert.ok(found / trials >= 0.95, `a 9 % difference found in ${found / trials}`);
});

void test('lanes share one count of runs per block, so a per-block cost cannot tell two sessions of one model apart', async () => {
  const granularityMs = 0.001;
  // Two sessions of one model: every run lasts 1 ms, the first of a block 0.5 ms more (the caches hold the
  // other lane's weights). The quick timing before the rounds caught the second one slowed by other work.
  const quick = [1.0, 1.4];
  const measure = async (runs: number[]) => {
    const clock = fakeClock();
    let last = -1;
    const lanes = runs.map((k, i) => ({
      run: () => {
        clock.t += last === i ? 1 : 1.5;
        last = i;
      },
      runs: k,
      batch: 1,
    }));
    const res = await interleave(lanes, {
      budgetMs: 1e9,
      targetPct: -1,
      clock,
      random: seededRandom(3),
      worstPct: () => 50,
      maxRounds: 30,
    });
    const [a, b] = res.logs as [LaneLog, LaneLog];
    return compareLanes(a, 1, b, 1, { granularityMs, level: 0.95, cores: 1, mode: 'mean' }).speedup;
  };
  const perLane = await measure(quick.map((ms) => runsPerBlock(ms, 14)));
  assert.ok(perLane.high < 1, `sized lane by lane, identical sessions look different: ${JSON.stringify(perLane)}`);
  const k = sharedRunsPerBlock(quick, 14, granularityMs);
  assert.equal(k, 12, 'the target filled on average over the round');
  const shared = await measure([k, k]);
  assert.ok(shared.low <= 1 && shared.high >= 1, JSON.stringify(shared));
  // A lane ten times faster than the other still gets blocks of 100 clock steps.
  assert.equal(sharedRunsPerBlock([0.01, 1], 2, 0.001), 10);
  assert.equal(sharedRunsPerBlock([], 2, 0.001), 1);
});
