/** Model-wide cost: totals over all graphs, top nodes, coverage and a peak activation-memory estimate. */
import { factBytes, nodeCost, type NodeCost } from './cost';
import type { Scope, ShapeInference, TensorFact } from './shapes/infer';

type Step = Scope['steps'][number];
import { subgraphsOf } from './structure';
import type { GraphInfo, NodeInfo } from './types';

/** One row of the per-node cost table. */
export interface NodeCostRow extends NodeCost {
  name: string;
  opType: string;
  /** How many times the node runs per inference (Loop trip count, Scan length; 1 otherwise). */
  runs: number;
  outputShapes: (number | null)[][];
}

/** What share of the model's work could be counted. */
export interface CostCoverage {
  nodes: number;
  /** Nodes whose output shapes (and so cost) were fully known. */
  countedNodes: number;
  /** Nodes of MAC-bearing ops (Conv, Gemm, MatMul, …). */
  macNodes: number;
  countedMacNodes: number;
  /** countedMacNodes / macNodes (1 when there are none). */
  macShare: number;
  /** Operator types with no shape rule, and how many nodes. */
  unknownOps: Record<string, number>;
}

/** Model-wide cost figures for one inference. */
export interface CostTotals {
  macs: number;
  flops: number;
  paramBytesRead: number;
  activationBytesWritten: number;
  /** Largest sum of live activations during a sequential run of the main graph (weights excluded). */
  peakActivationBytes: number;
  topNodes: NodeCostRow[];
  coverage: CostCoverage;
  /** Notes on what was estimated (untaken If branches, unknown loop counts). */
  notes: string[];
}

interface Acc {
  /** Output facts per row; shapes are copied only onto the top rows. */
  outs: Map<NodeCostRow, (TensorFact | undefined)[]>;
  cov: CostCoverage;
  notes: string[];
  inf: ShapeInference;
}

function graphRows(acc: Acc, g: GraphInfo, runs: number): NodeCostRow[] {
  const scope = acc.inf.scopes.get(g);
  if (!scope) return [];
  const rows: NodeCostRow[] = [];
  const steps = scope.steps;
  for (let i = 0; i < steps.length; i++) {
    const { node, ins, outs } = steps[i] as (typeof steps)[number];
    acc.cov.nodes++;
    // Constant nodes do no work at run time; they count as covered but get no row.
    if (node.opType === 'Constant') {
      acc.cov.countedNodes++;
      continue;
    }
    const c = nodeCost(node, ins, outs, scope) as NodeCostRow;
    // Extend the cost object in place: a spread copy per node is measurable in a cold process.
    c.name = node.name || `${node.opType}#${i}`;
    c.opType = node.opType;
    c.runs = runs;
    acc.outs.set(c, outs);
    rows.push(c);
    if (c.activationBytes !== null && c.flops !== null) acc.cov.countedNodes++;
    if (c.macOp) {
      acc.cov.macNodes++;
      if (c.macs !== null) acc.cov.countedMacNodes++;
    }
    if (node.attributes.size && (node.opType === 'If' || node.opType === 'Loop' || node.opType === 'Scan')) {
      for (const r of subgraphRows(acc, node, scope, runs)) rows.push(r);
    }
  }
  return rows;
}

function sumMacs(rows: NodeCostRow[]): number {
  return rows.reduce((s, r) => s + (r.macs ?? 0) * r.runs, 0);
}

function subgraphRows(acc: Acc, node: NodeInfo, scope: Scope, runs: number): NodeCostRow[] {
  const attr = (k: string): GraphInfo | undefined => node.attributes.get(k)?.g;
  if (node.opType === 'If') {
    const cond = scope.get(node.inputs[0] ?? '')?.value?.[0];
    // A folded condition runs one branch; the other is neither counted nor held against coverage.
    if (cond !== undefined) {
      const taken = attr(cond ? 'then_branch' : 'else_branch');
      return taken ? graphRows(acc, taken, runs) : [];
    }
    const branches = [attr('then_branch'), attr('else_branch')].filter((g): g is GraphInfo => !!g).map((g) => graphRows(acc, g, runs));
    if (branches.length === 2) acc.notes.push(`If "${node.name}": condition unknown, the costlier branch is counted`);
    return branches.sort((a, b) => sumMacs(b) - sumMacs(a))[0] ?? [];
  }
  const body = attr('body');
  if (!body || (node.opType !== 'Loop' && node.opType !== 'Scan')) return [];
  const trip = node.opType === 'Loop' ? scope.get(node.inputs[0] ?? '')?.value?.[0] : undefined;
  const seq = node.opType === 'Scan' ? scope.get(node.inputs[node.inputs.length - 1] ?? '')?.shape?.[0] : undefined;
  const n = typeof trip === 'number' ? trip : typeof seq === 'number' ? seq : undefined;
  if (n === undefined) acc.notes.push(`${node.opType} "${node.name}": iteration count unknown, its body is counted once`);
  return graphRows(acc, body, runs * (n ?? 1));
}

/**
 * Peak of live activation bytes when a graph runs node by node in order; a node with subgraphs adds the
 * largest peak of its bodies while it runs.
 */
export function peakActivationBytes(g: GraphInfo, scope: Scope, scopes?: Map<GraphInfo, Scope>): number {
  // Works on the steps inference recorded (execution order, facts at hand) to avoid name lookups.
  const steps = scope.steps;
  const lastUse = new Map<string, number>();
  for (let i = 0; i < steps.length; i++) {
    const inputs = (steps[i] as Step).node.inputs;
    for (let k = 0; k < inputs.length; k++) if (inputs[k]) lastUse.set(inputs[k] as string, i);
  }
  const keep = new Set(g.outputs.map((o) => o.name));
  const size = (f: TensorFact | undefined): number => (f && !f.isConstant ? (factBytes(f) ?? 0) : 0);
  let live = 0;
  for (const v of g.inputs) live += size(scope.facts.get(v.name));
  let peak = live;
  for (let i = 0; i < steps.length; i++) {
    const { node, ins, outs } = steps[i] as Step;
    for (let k = 0; k < outs.length; k++) live += size(outs[k]);
    let inner = 0;
    if (scopes && node.attributes.size && (node.opType === 'If' || node.opType === 'Loop' || node.opType === 'Scan')) {
      for (const sub of subgraphsOf(node)) {
        const sc = scopes.get(sub);
        if (sc) inner = Math.max(inner, peakActivationBytes(sub, sc, scopes));
      }
    }
    if (live + inner > peak) peak = live + inner;
    const names = node.inputs;
    for (let k = 0; k < names.length; k++) {
      const x = names[k] as string;
      if (x && lastUse.get(x) === i && !keep.has(x) && names.indexOf(x) === k) live -= size(ins[k]);
    }
    for (let k = 0; k < outs.length; k++) {
      const o = node.outputs[k] as string;
      if (o && !lastUse.has(o) && !keep.has(o)) live -= size(outs[k]);
    }
  }
  return peak;
}

function topRows(acc: Acc, rows: NodeCostRow[], n: number): NodeCostRow[] {
  const top = rows.filter((r) => (r.macs ?? 0) > 0).sort((a, b) => (b.macs ?? 0) * b.runs - (a.macs ?? 0) * a.runs).slice(0, n);
  for (const r of top) r.outputShapes = (acc.outs.get(r) ?? []).map((f) => f?.shape ?? []);
  return top;
}

/** Costs of the whole model from a finished shape inference. */
export function costTotals(main: GraphInfo, inf: ShapeInference, topN = 10): CostTotals {
  const cov: CostCoverage = { nodes: 0, countedNodes: 0, macNodes: 0, countedMacNodes: 0, macShare: 1, unknownOps: Object.fromEntries(inf.unknownOps) };
  const acc: Acc = { outs: new Map(), cov, notes: [], inf };
  const rows = graphRows(acc, main, 1);
  cov.macShare = cov.macNodes ? cov.countedMacNodes / cov.macNodes : 1;
  const scope = inf.scopes.get(main);
  let [flops, paramBytesRead, activationBytesWritten] = [0, 0, 0];
  for (const r of rows) {
    flops += (r.flops ?? 0) * r.runs;
    paramBytesRead += r.paramBytes * r.runs;
    activationBytesWritten += (r.activationBytes ?? 0) * r.runs;
  }
  return {
    macs: sumMacs(rows),
    flops,
    paramBytesRead,
    activationBytesWritten,
    peakActivationBytes: scope ? peakActivationBytes(main, scope, inf.scopes) : 0,
    topNodes: topRows(acc, rows, topN),
    coverage: cov,
    notes: acc.notes,
  };
}
