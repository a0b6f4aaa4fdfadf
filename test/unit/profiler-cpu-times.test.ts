/**
 * The busy-CPU sample taken before a profile run: counters parsed from /proc/stat and os.cpus(), the busy
 * share between two readings, the sample itself with recorded readings and an instant wait (so nothing
 * here depends on this machine's load or timer), and the thread choice and warning it feeds.
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import os from 'node:os';
import { syncBuiltinESMExports } from 'node:module';
import {
  busyCpus,
  busyCpusBetween,
  cpuTimesFromOs,
  cpuTimesFromProcStat,
  parseProcStat,
  sampleBusyCpus,
  type CpuSampler,
  type CpuTimes,
} from '../../src/profiler/cpuTimes';
import { heavyLoadWarning } from '../../src/profiler/load';
import { chooseThreads } from '../../src/profiler/threads';

// Two readings of a 2-CPU machine's /proc/stat 250 ms apart while other jobs kept both CPUs busy
// (recorded; the interrupt lines are cut short).
const PROC_STAT_BUSY = [
  'cpu  2372182 430284 932468 504259 2635 0 5281 0 0 0\ncpu0 1169463 212676 479043 259410 689 0 2017 0 0 0\ncpu1 1202718 217608 453425 244848 1945 0 3264 0 0 0\nintr 20528246 0 0\n',
  'cpu  2372212 430289 932497 504259 2635 0 5281 0 0 0\ncpu0 1169488 212680 479046 259410 689 0 2017 0 0 0\ncpu1 1202724 217608 453451 244848 1945 0 3264 0 0 0\nintr 20528506 0 0\n',
];

// os.cpus() times of the same machine 250 ms apart, also under load (recorded).
const OS_CPUS_BUSY = [
  [
    { user: 11695330, nice: 2126810, sys: 4790530, idle: 2594100, irq: 0 },
    { user: 12027460, nice: 2176090, sys: 4534810, idle: 2448480, irq: 0 },
  ],
  [
    { user: 11695510, nice: 2126830, sys: 4790600, idle: 2594100, irq: 0 },
    { user: 12027620, nice: 2176100, sys: 4534910, idle: 2448480, irq: 0 },
  ],
].map((times) => times.map((t) => ({ model: 'cpu', speed: 2000, times: t })));

/** A sampler that replays readings and records the waits it was asked for, without a timer. */
function replay(readings: (CpuTimes | undefined)[]): CpuSampler & { waits: number[] } {
  const queue = [...readings];
  const waits: number[] = [];
  return {
    waits,
    read: () => Promise.resolve(queue.shift()),
    wait: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

void test('/proc/stat: aggregate busy and total jiffies, and the CPUs its per-CPU lines count', () => {
  assert.deepEqual(parseProcStat('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n'), { busy: 150, total: 1000 });
  assert.equal(parseProcStat('nothing'), undefined);
  assert.deepEqual(cpuTimesFromProcStat(PROC_STAT_BUSY[0] ?? ''), {
    busy: 2372182 + 430284 + 932468 + 5281,
    total: 2372182 + 430284 + 932468 + 504259 + 2635 + 5281,
    cpus: 2,
  });
  assert.equal(cpuTimesFromProcStat('cpu  1 2 3 4\n'), undefined, 'no per-CPU lines: no CPU count');
  assert.equal(cpuTimesFromProcStat('cpu0 1 2 3 4\n'), undefined, 'no aggregate line');
});

void test('os.cpus(): busy and total ms summed over the CPUs; nothing counted is no reading', () => {
  assert.deepEqual(cpuTimesFromOs(OS_CPUS_BUSY[0] ?? []), {
    busy: 11695330 + 2126810 + 4790530 + 12027460 + 2176090 + 4534810,
    total: 11695330 + 2126810 + 4790530 + 2594100 + 12027460 + 2176090 + 4534810 + 2448480,
    cpus: 2,
  });
  assert.equal(cpuTimesFromOs([]), undefined);
  const zero = { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 };
  assert.equal(cpuTimesFromOs([{ model: 'cpu', speed: 0, times: zero }]), undefined);
});

void test('busy CPUs between two readings: the busy share of the time that passed, times the CPUs', () => {
  const [a, b] = PROC_STAT_BUSY.map((t) => cpuTimesFromProcStat(t));
  assert.ok(a && b);
  assert.equal(busyCpusBetween(a, b), 2, 'both CPUs busy in the recorded window');
  const [oa, ob] = OS_CPUS_BUSY.map((l) => cpuTimesFromOs(l));
  assert.ok(oa && ob);
  assert.equal(busyCpusBetween(oa, ob), 2);
  // Constructed readings: 4 CPUs, 100 jiffies each over the window, 130 of the 400 busy.
  assert.equal(busyCpusBetween({ busy: 1000, total: 5000, cpus: 4 }, { busy: 1130, total: 5400, cpus: 4 }), 1.3);
  // A heavy job that ended just before: its hour of CPU time is in both readings and counts for nothing.
  assert.equal(busyCpusBetween({ busy: 9e6, total: 1e7, cpus: 4 }, { busy: 9e6, total: 1e7 + 400, cpus: 4 }), 0);
  assert.equal(busyCpusBetween(a, a), undefined, 'no time passed');
  assert.equal(busyCpusBetween(b, a), undefined, 'counters went backwards');
  assert.equal(busyCpusBetween({ ...a, cpus: 3 }, b), undefined, 'a CPU came or went');
});

void test('the sample reads, waits the window once without blocking, reads again', async () => {
  const [a, b] = PROC_STAT_BUSY.map((t) => cpuTimesFromProcStat(t));
  const s = replay([a, b]);
  assert.deepEqual(await sampleBusyCpus(250, s), { busy: 2, cpus: 2 });
  assert.deepEqual(s.waits, [250]);
  assert.equal(await busyCpus(100, replay([a, b])), 2);
  const none = replay([undefined, b]);
  assert.equal(await busyCpus(250, none), undefined, 'unreadable counters: unknown load');
  assert.deepEqual(none.waits, [], 'nothing to wait for without a first reading');
  assert.equal(await busyCpus(250, replay([a, undefined])), undefined);
});

void test('a load average left by a job that has ended does not count: only the window counts', async () => {
  // The 1-minute load average still says 8 a while after a heavy job ended; the counters show idle CPUs.
  mock.method(os, 'loadavg', () => [8, 8, 8]);
  syncBuiltinESMExports();
  try {
    const idle = replay([
      { busy: 100, total: 1000, cpus: 2 },
      { busy: 101, total: 1050, cpus: 2 },
    ]);
    const busy = await busyCpus(250, idle);
    assert.equal(busy, 0.04);
    assert.equal(heavyLoadWarning(busy, 2), undefined);
  } finally {
    mock.restoreAll();
    syncBuiltinESMExports();
  }
});

void test('the warning fires when less than half a CPU is free, and never on an unknown load', () => {
  assert.match(heavyLoadWarning(1.8, 2) ?? '', /machine is busy \(1\.8 of 2 CPUs in use by other processes/);
  assert.match(heavyLoadWarning(2, 2) ?? '', /2\.0 of 2 CPUs/);
  assert.equal(heavyLoadWarning(1.5, 2), undefined, 'half a CPU free');
  assert.equal(heavyLoadWarning(1, 2), undefined);
  assert.equal(heavyLoadWarning(undefined, 2), undefined);
});

void test('thread choice on an unknown load: as on an idle machine, and says the load was not read', () => {
  const pinned = chooseThreads('auto', undefined, 8, 4);
  assert.equal(pinned.threads, 4);
  assert.match(pinned.reason, /load could not be read/);
  assert.equal(chooseThreads('auto', undefined, 8, undefined).threads, undefined);
  assert.match(chooseThreads('auto', 2.2, 4, 4).reason, /2\.2 of 4 CPUs busy just before the run started/);
  assert.doesNotMatch(chooseThreads('auto', 2.2, 4, 4).reason, /last minute/);
});
