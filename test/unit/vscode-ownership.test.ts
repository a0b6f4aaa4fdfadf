import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ownership, type Feature } from '../../src/vscode/ownership';

/** An owner as features see it: something to push their disposables to. */
interface Owner {
  push(...d: { dispose(): unknown }[]): void;
}

function setup() {
  const released: string[] = [];
  const errors: unknown[] = [];
  const owned = new Ownership<Owner>((err) => errors.push(err));
  const owner: Owner = { push: (...d) => owned.push(...d) };
  const item = (name: string) => ({
    dispose: () => {
      released.push(name);
    },
  });
  return { owned, owner, released, errors, item };
}

void test('a feature is created once, on first use, and its parts are released with the owner', () => {
  const { owned, owner, released, item } = setup();
  let created = 0;
  const key: Feature<{ n: number }, Owner> = {
    name: 'the sample',
    create: (o) => {
      created++;
      o.push(item('sample'));
      return { n: created };
    },
  };
  assert.equal(created, 0, 'nothing is created before first use');
  const a = owned.feature(key, owner);
  const b = owned.feature(key, owner);
  assert.equal(a, b);
  assert.equal(created, 1);
  owned.dispose();
  assert.deepEqual(released, ['sample']);
});

void test('release goes last created first, once, and one failing dispose does not stop the others', () => {
  const { owned, released, errors, item } = setup();
  owned.push(item('channel'), item('settings'));
  owned.push({
    dispose: () => {
      throw new Error('broken');
    },
  });
  owned.push(item('report'));
  owned.dispose();
  owned.dispose();
  assert.deepEqual(released, ['report', 'settings', 'channel']);
  assert.equal(errors.length, 1);
  assert.match((errors[0] as Error).message, /broken/);
});

void test('an asynchronous dispose that fails is reported, not left unhandled', async () => {
  const { owned, errors } = setup();
  owned.push({ dispose: () => Promise.reject(new Error('worker would not stop')) });
  owned.dispose();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(errors.length, 1);
});

void test('after release no feature is created again, and late disposables are released at once', () => {
  const { owned, owner, released, item } = setup();
  const key: Feature<number, Owner> = { name: 'the report', create: () => 1 };
  owned.dispose();
  assert.ok(owned.isReleased);
  assert.throws(() => owned.feature(key, owner), /shutting down: the report is no longer available/);
  owned.push(item('late watcher'));
  assert.deepEqual(released, ['late watcher']);
});

void test('a second owner starts from nothing: features are not shared between activations', () => {
  const first = setup();
  const second = setup();
  let created = 0;
  const key: Feature<number, Owner> = { name: 'the Python analysis', create: () => ++created };
  assert.equal(first.owned.feature(key, first.owner), 1);
  first.owned.dispose();
  assert.equal(second.owned.feature(key, second.owner), 2);
});
