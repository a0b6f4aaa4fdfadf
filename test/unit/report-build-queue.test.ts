import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildQueue } from '../../src/vscode/report/buildQueue';

/** A build whose runs finish when the test says so. */
function controlled(): {
  queue: BuildQueue<number>;
  started: () => number;
  finish: () => Promise<void>;
  fail: () => Promise<void>;
} {
  let runs = 0;
  const pending: { resolve: (n: number) => void; reject: (e: Error) => void }[] = [];
  const queue = new BuildQueue(
    () =>
      new Promise<number>((resolve, reject) => {
        runs++;
        pending.push({ resolve, reject });
      }),
  );
  const settle = async (ok: boolean): Promise<void> => {
    const p = pending.shift();
    assert.ok(p, 'a build is running');
    if (ok) p.resolve(runs);
    else p.reject(new Error('gather failed'));
    // Let the queue's finally() and any queued build start.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { queue, started: () => runs, finish: () => settle(true), fail: () => settle(false) };
}

void test('callers that want a report join the build in progress instead of queueing another', async () => {
  const c = controlled();
  const a = c.queue.join();
  const b = c.queue.join();
  assert.equal(c.started(), 1);
  assert.equal(a, b);
  await c.finish();
  assert.equal(await a, 1);
  assert.equal(c.started(), 1, 'no second build after the first');
  assert.equal(c.queue.busy, false);
});

void test('changes during a build queue exactly one more build', async () => {
  const c = controlled();
  const first = c.queue.rebuild();
  void c.queue.rebuild();
  void c.queue.rebuild();
  assert.equal(c.started(), 1);
  await c.finish();
  assert.equal(await first, 1);
  assert.equal(c.started(), 2, 'one more build for the changes');
  assert.equal(c.queue.busy, true);
  await c.finish();
  assert.equal(c.started(), 2);
  assert.equal(c.queue.busy, false);
});

void test('a failed build is reported to its callers and does not block the next', async () => {
  const c = controlled();
  const failed = c.queue.join();
  await c.fail();
  await assert.rejects(failed, /gather failed/);
  assert.equal(c.queue.busy, false);
  const next = c.queue.join();
  assert.equal(c.started(), 2);
  await c.finish();
  assert.equal(await next, 2);
});
