import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  calls,
  describe,
  isCommandRegistration,
  isModuleLoad,
  moduleVariables,
  parse,
  sourceFiles,
} from './helpers/sourceScan';

/** The editor layer: its state lives on the extension's context, never in module variables. */
const EDITOR_FILES = [...sourceFiles('src/vscode'), 'src/extension.ts'];
/** The ONNX analyzer: its decoders and walks keep their state in objects made per call. */
const ONNX_FILES = sourceFiles('src/analyzers/onnx');

const variablesOf = (files: string[]) => files.flatMap((f) => moduleVariables(parse(f)));

void test('the scan finds module-level let and var, exported or not, and nothing inside functions or classes', () => {
  const sf = parse(
    'sample.ts',
    [
      'let a = 1;',
      'export let b = 2, c = 3;',
      'var d;',
      'const e = { f: 1 };',
      'export const g = () => { let h = 0; return h; };',
      'class K { static i = 0; m(): void { let j = 1; j++; } }',
      'namespace N { export let k = 0; }',
    ].join('\n'),
  );
  const found = moduleVariables(sf).map((v) => ({ line: v.line, names: v.names, exported: v.exported }));
  assert.deepEqual(found, [
    { line: 1, names: ['a'], exported: false },
    { line: 2, names: ['b', 'c'], exported: true },
    { line: 3, names: ['d'], exported: false },
    { line: 7, names: ['k'], exported: true },
  ]);
});

void test('src/vscode and src/extension.ts keep no state in module-level let or var', () => {
  assert.ok(EDITOR_FILES.length > 20, 'the editor layer was found');
  assert.deepEqual(variablesOf(EDITOR_FILES).map(describe), []);
});

void test('src/analyzers/onnx keeps no state in module-level let or var', () => {
  assert.ok(ONNX_FILES.includes('src/analyzers/onnx/totals.ts'), 'the ONNX analyzer was found');
  assert.deepEqual(variablesOf(ONNX_FILES).map(describe), []);
});

void test('no module of src/ exports a let', () => {
  assert.deepEqual(
    variablesOf(sourceFiles('src'))
      .filter((v) => v.exported)
      .map(describe),
    [],
  );
});

void test('in the editor layer only lazyModules.ts loads modules with require() or import()', () => {
  const found = EDITOR_FILES.filter((f) => f !== 'src/vscode/lazyModules.ts').flatMap((f) =>
    calls(parse(f), isModuleLoad),
  );
  assert.deepEqual(found, []);
  assert.ok(calls(parse('src/vscode/lazyModules.ts'), isModuleLoad).length > 5, 'the scan sees the loader table');
});

void test('only the context registers commands, from the command table', () => {
  const found = EDITOR_FILES.flatMap((f) => calls(parse(f), isCommandRegistration));
  assert.deepEqual(
    found.map((at) => at.replace(/:\d+$/, '')),
    ['src/vscode/context.ts'],
  );
});
