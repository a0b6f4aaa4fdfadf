/** Shape inference through If, Loop and Scan: their bodies are inferred in a nested scope. */
import type { NodeInfo } from '../types';
import { BOOL, INT64, copyFact, fact, type SDim, type TensorFact } from './common';
import { Scope, inferGraph, type InferRun } from './infer';

/** Joins the facts of two If branches: equal dims stay, different ones become unknown. */
function join(a: TensorFact | undefined, b: TensorFact | undefined): TensorFact | undefined {
  if (!a || !b) return a ?? b;
  if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return fact(a.dtype, undefined);
  return fact(
    a.dtype,
    a.shape.map((d, i) => (d === b.shape![i] ? d : null)),
  );
}

function ifOutputs(run: InferRun, scope: Scope, node: NodeInfo): (TensorFact | undefined)[] {
  const thenG = node.attributes.get('then_branch')?.g;
  const elseG = node.attributes.get('else_branch')?.g;
  const thenOut = thenG ? inferGraph(run, thenG, new Scope(scope)) : [];
  const elseOut = elseG ? inferGraph(run, elseG, new Scope(scope)) : [];
  const cond = scope.get(node.inputs[0] ?? '')?.value?.[0];
  if (cond !== undefined) return cond ? thenOut : elseOut;
  return node.outputs.map((_, i) => join(thenOut[i], elseOut[i]));
}

function bindInputs(body: Scope, names: string[], facts: (TensorFact | undefined)[]): void {
  names.forEach((n, i) => body.facts.set(n, copyFact(facts[i]) ?? fact(0, undefined)));
}

function loopOutputs(run: InferRun, scope: Scope, node: NodeInfo): (TensorFact | undefined)[] {
  const g = node.attributes.get('body')?.g;
  const carried = node.inputs.slice(2).map((n) => scope.get(n));
  if (!g) return node.outputs.map(() => undefined);
  const body = new Scope(scope);
  bindInputs(
    body,
    g.inputs.map((v) => v.name),
    [fact(INT64, []), fact(BOOL, []), ...carried],
  );
  const outs = inferGraph(run, g, body);
  const trips: SDim = scope.get(node.inputs[0] ?? '')?.value?.[0] ?? null;
  const scans = outs.slice(1 + carried.length).map((f) => (f?.shape ? fact(f.dtype, [trips, ...f.shape]) : undefined));
  const finals = carried.map((c, i) => join(c, outs[1 + i]));
  return [...finals, ...scans];
}

function scanOutputs(run: InferRun, scope: Scope, node: NodeInfo): (TensorFact | undefined)[] {
  const g = node.attributes.get('body')?.g;
  const nScan = node.attributes.get('num_scan_inputs')?.i ?? 0;
  const ins = node.inputs.map((n) => (n ? scope.get(n) : undefined));
  const nState = ins.length - nScan;
  if (!g || nState < 0) return node.outputs.map(() => undefined);
  const scanIns = ins.slice(nState);
  const seq = scanIns[0]?.shape?.[0] ?? null;
  const slices = scanIns.map((f) => (f?.shape ? fact(f.dtype, f.shape.slice(1)) : undefined));
  const body = new Scope(scope);
  bindInputs(
    body,
    g.inputs.map((v) => v.name),
    [...ins.slice(0, nState), ...slices],
  );
  const outs = inferGraph(run, g, body);
  const scans = outs.slice(nState).map((f) => (f?.shape ? fact(f.dtype, [seq, ...f.shape]) : undefined));
  return [...ins.slice(0, nState).map((c, i) => join(c, outs[i])), ...scans];
}

/** Outputs of a control-flow node, or undefined when `node` is not one. */
export function controlFlowOutputs(
  run: InferRun,
  scope: Scope,
  node: NodeInfo,
): (TensorFact | undefined)[] | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  // Outputs are copied: a branch may hand back a fact of its own graph or of this one.
  if (node.opType === 'If') return ifOutputs(run, scope, node).map(copyFact);
  if (node.opType === 'Loop') return loopOutputs(run, scope, node).map(copyFact);
  if (node.opType === 'Scan' && run.opset >= 9) return scanOutputs(run, scope, node).map(copyFact);
  return undefined;
}
