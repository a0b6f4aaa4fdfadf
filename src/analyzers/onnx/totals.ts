/** Model-wide cost: totals over all graphs, top nodes, coverage and a peak activation-memory estimate. */
import { costInto, factBytes, type NodeCost } from './cost';
import type { Scope, ShapeInference, TensorFact } from './shapes/infer';
import { subgraphsOf } from './structure';
import type { GraphInfo, NodeInfo } from './types';

type Step = Scope['steps'][number];

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

/** Running totals of one graph (and the subgraphs it runs), each node weighted by its runs. */
interface Sums {
  macs: number;
  flops: number;
  paramBytes: number;
  activationBytes: number;
}

interface Acc {
  /** Rows of nodes with MACs, the only ones the top list can hold, in execution order. */
  rows: NodeCostRow[];
  /** Output facts of each row; shapes are copied only onto the top rows. */
  outs: (TensorFact | undefined)[][];
  cov: CostCoverage;
  notes: string[];
  inf: ShapeInference;
}

/** Placeholder until topRows fills in the output shapes of the rows it keeps. */
const NO_SHAPES: (number | null)[][] = [];

/** The cost of the node being visited (one object for all of them). */
const cost: NodeCost = { macs: 0, flops: 0, paramBytes: 0, activationBytes: 0, macOp: false };

function graphCost(acc: Acc, g: GraphInfo, runs: number, sums: Sums): void {
  const scope = acc.inf.scopes.get(g);
  if (!scope) return;
  const steps = scope.steps;
  const cov = acc.cov;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    const node = step.node;
    cov.nodes++;
    // Constant nodes do no work at run time; they count as covered but get no row.
    if (node.opType === 'Constant') {
      cov.countedNodes++;
      continue;
    }
    costInto(cost, node, step.ins, step.outs, scope);
    const macs = cost.macs;
    // Totals are summed here rather than kept per node: only rows with MACs can be top rows.
    sums.macs += (macs ?? 0) * runs;
    sums.flops += (cost.flops ?? 0) * runs;
    sums.paramBytes += cost.paramBytes * runs;
    sums.activationBytes += (cost.activationBytes ?? 0) * runs;
    if (macs !== null && macs > 0) {
      acc.rows.push({
        macs,
        flops: cost.flops,
        paramBytes: cost.paramBytes,
        activationBytes: cost.activationBytes,
        macOp: cost.macOp,
        name: node.name || `${node.opType}#${i}`,
        opType: node.opType,
        runs,
        outputShapes: NO_SHAPES,
      });
      acc.outs.push(step.outs);
    }
    if (cost.activationBytes !== null && cost.flops !== null) cov.countedNodes++;
    if (cost.macOp) {
      cov.macNodes++;
      if (macs !== null) cov.countedMacNodes++;
    }
    if (node.attributes.size && (node.opType === 'If' || node.opType === 'Loop' || node.opType === 'Scan'))
      subgraphCost(acc, node, scope, runs, sums);
  }
}

/** One If branch costed on its own, before the costlier one is kept. */
interface Branch {
  sums: Sums;
  rows: NodeCostRow[];
  outs: (TensorFact | undefined)[][];
}

function branchCost(acc: Acc, g: GraphInfo, runs: number): Branch {
  const rows = acc.rows;
  const outs = acc.outs;
  acc.rows = [];
  acc.outs = [];
  const b: Branch = { sums: { macs: 0, flops: 0, paramBytes: 0, activationBytes: 0 }, rows: acc.rows, outs: acc.outs };
  graphCost(acc, g, runs, b.sums);
  acc.rows = rows;
  acc.outs = outs;
  return b;
}

function subgraphCost(acc: Acc, node: NodeInfo, scope: Scope, runs: number, sums: Sums): void {
  const attr = (k: string): GraphInfo | undefined => node.attributes.get(k)?.g;
  if (node.opType === 'If') {
    const cond = scope.get(node.inputs[0] ?? '')?.value?.[0];
    // A folded condition runs one branch; the other is neither counted nor held against coverage.
    if (cond !== undefined) {
      const taken = attr(cond ? 'then_branch' : 'else_branch');
      if (taken) graphCost(acc, taken, runs, sums);
      return;
    }
    const branches = [attr('then_branch'), attr('else_branch')]
      .filter((g): g is GraphInfo => !!g)
      .map((g) => branchCost(acc, g, runs));
    if (branches.length === 2) acc.notes.push(`If "${node.name}": condition unknown, the costlier branch is counted`);
    const kept = branches.sort((a, b) => b.sums.macs - a.sums.macs)[0];
    if (!kept) return;
    sums.macs += kept.sums.macs;
    sums.flops += kept.sums.flops;
    sums.paramBytes += kept.sums.paramBytes;
    sums.activationBytes += kept.sums.activationBytes;
    for (let i = 0; i < kept.rows.length; i++) {
      acc.rows.push(kept.rows[i] as NodeCostRow);
      acc.outs.push(kept.outs[i] as (TensorFact | undefined)[]);
    }
    return;
  }
  const body = attr('body');
  if (!body || (node.opType !== 'Loop' && node.opType !== 'Scan')) return;
  const trip = node.opType === 'Loop' ? scope.get(node.inputs[0] ?? '')?.value?.[0] : undefined;
  const seq = node.opType === 'Scan' ? scope.get(node.inputs[node.inputs.length - 1] ?? '')?.shape?.[0] : undefined;
  const n = typeof trip === 'number' ? trip : typeof seq === 'number' ? seq : undefined;
  if (n === undefined)
    acc.notes.push(`${node.opType} "${node.name}": iteration count unknown, its body is counted once`);
  graphCost(acc, body, runs * (n ?? 1), sums);
}

/**
 * Peak of live activation bytes when a graph runs node by node in order; a node with subgraphs adds the
 * largest peak of its bodies while it runs. A tensor is live from the step that writes it to the last
 * step that reads it (recorded by inference as `lastUse`); graph outputs stay live to the end.
 */
export function peakActivationBytes(g: GraphInfo, scope: Scope, scopes?: Map<GraphInfo, Scope>): number {
  // Works on the steps inference recorded (execution order, facts at hand): no name lookups.
  // This walk's token, which the tensors it counts as live carry in `liveMark`: one field check instead
  // of a Set of live tensors. An object made here cannot equal the token of any other walk, nested or
  // earlier, whose marks a tensor may still carry.
  const token = {};
  const steps = scope.steps;
  const keep = new Set<TensorFact>();
  for (let i = 0; i < g.outputs.length; i++) {
    const f = scope.facts.get((g.outputs[i] as { name: string }).name);
    if (f) keep.add(f);
  }
  let live = 0;
  for (let i = 0; i < g.inputs.length; i++)
    live += hold(scope.facts.get((g.inputs[i] as { name: string }).name), token);
  let peak = live;
  for (let i = 0; i < steps.length; i++) {
    const { node, ins, outs } = steps[i] as Step;
    for (let k = 0; k < outs.length; k++) live += hold(outs[k], token);
    let inner = 0;
    if (scopes && node.attributes.size && (node.opType === 'If' || node.opType === 'Loop' || node.opType === 'Scan')) {
      for (const sub of subgraphsOf(node)) {
        const sc = scopes.get(sub);
        if (sc) inner = Math.max(inner, peakActivationBytes(sub, sc, scopes));
      }
    }
    if (live + inner > peak) peak = live + inner;
    // Inputs read for the last time, and outputs nothing reads, are released after the step.
    for (let k = 0; k < ins.length; k++) {
      const f = ins[k];
      if (f && f.lastUse === i && !keep.has(f)) live -= release(f, token);
    }
    for (let k = 0; k < outs.length; k++) {
      const f = outs[k];
      if (f && f.lastUse === -1 && !keep.has(f)) live -= release(f, token);
    }
  }
  return peak;
}

/** Marks an activation live in walk `token` and returns its bytes (0 if already live, a weight or unknown). */
function hold(f: TensorFact | undefined, token: object): number {
  if (!f || f.isConstant || f.liveMark === token) return 0;
  f.liveMark = token;
  return factBytes(f) ?? 0;
}

/** Unmarks an activation held in walk `token` and returns its bytes (0 if it was not held). */
function release(f: TensorFact, token: object): number {
  if (f.liveMark !== token) return 0;
  f.liveMark = null;
  return factBytes(f) ?? 0;
}

/**
 * The `n` rows with the most MACs (times runs), in the order a stable sort would give them: one pass
 * that keeps a short sorted list, rather than sorting every row with a comparator call per comparison.
 */
function topRows(acc: Acc, rows: NodeCostRow[], n: number): NodeCostRow[] {
  const top: NodeCostRow[] = [];
  const keys: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as NodeCostRow;
    const macs = r.macs ?? 0;
    if (macs <= 0) continue;
    const key = macs * r.runs;
    if (top.length === n && key <= (keys[n - 1] as number)) continue;
    let j = top.length;
    while (j > 0 && (keys[j - 1] as number) < key) j--;
    top.splice(j, 0, r);
    keys.splice(j, 0, key);
    at.splice(j, 0, i);
    if (top.length > n) {
      top.pop();
      keys.pop();
      at.pop();
    }
  }
  for (let j = 0; j < top.length; j++)
    (top[j] as NodeCostRow).outputShapes = (acc.outs[at[j] as number] ?? []).map((f) => f?.shape ?? []);
  return top;
}

/** Costs of the whole model from a finished shape inference. */
export function costTotals(main: GraphInfo, inf: ShapeInference, topN = 10): CostTotals {
  const cov: CostCoverage = {
    nodes: 0,
    countedNodes: 0,
    macNodes: 0,
    countedMacNodes: 0,
    macShare: 1,
    unknownOps: Object.fromEntries(inf.unknownOps),
  };
  const acc: Acc = { rows: [], outs: [], cov, notes: [], inf };
  const sums: Sums = { macs: 0, flops: 0, paramBytes: 0, activationBytes: 0 };
  graphCost(acc, main, 1, sums);
  cov.macShare = cov.macNodes ? cov.countedMacNodes / cov.macNodes : 1;
  const scope = inf.scopes.get(main);
  return {
    macs: sums.macs,
    flops: sums.flops,
    paramBytesRead: sums.paramBytes,
    activationBytesWritten: sums.activationBytes,
    peakActivationBytes: scope ? peakActivationBytes(main, scope, inf.scopes) : 0,
    topNodes: topRows(acc, acc.rows, topN),
    coverage: cov,
    notes: acc.notes,
  };
}
