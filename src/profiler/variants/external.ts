/**
 * Weights stored as ONNX external data (a `location` file next to the model, with offset and length):
 * their size counts against the rewrite limit, and a rewrite reads them into the model so that the
 * variant written to the storage dir is self-contained and its weights can be rewritten.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { onnx } from '../../analyzers/onnx/generated/onnx';
import { forEachGraph } from './graph';

interface ExternalRef {
  tensor: onnx.ITensorProto;
  file: string;
  offset: number;
  length: number | undefined;
}

function refs(model: onnx.IModelProto, modelDir: string): ExternalRef[] {
  const out: ExternalRef[] = [];
  if (!model.graph) return out;
  forEachGraph(model.graph, (g) => {
    for (const t of g.initializer ?? []) {
      if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
      const kv = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
      const location = kv.get('location');
      if (!location) throw new Error(`tensor "${t.name}" is stored externally without a location`);
      // The format puts the file relative to the model; a path that leaves the folder is refused.
      const file = path.resolve(modelDir, location);
      if (path.isAbsolute(location) || path.relative(modelDir, file).startsWith('..'))
        throw new Error(`tensor "${t.name}" points outside the model's folder (${location})`);
      const length = kv.has('length') ? Number(kv.get('length')) : undefined;
      out.push({ tensor: t, file, offset: Number(kv.get('offset') ?? 0), length });
    }
  });
  return out;
}

/** Bytes of external weight data the model references (missing files count as 0; onnxruntime reports them). */
export function externalBytes(model: onnx.IModelProto, modelDir: string): number {
  let total = 0;
  for (const r of refs(model, modelDir)) {
    let size = 0;
    try {
      size = statSync(r.file).size;
    } catch {
      continue;
    }
    total += r.length ?? Math.max(0, size - r.offset);
  }
  return total;
}

/** Reads every external tensor into raw_data; returns how many were inlined. */
export function inlineExternalData(model: onnx.IModelProto, modelDir: string): number {
  const list = refs(model, modelDir);
  for (const r of list) {
    const fd = openSync(r.file, 'r');
    try {
      const length = r.length ?? statSync(r.file).size - r.offset;
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buf, done, length - done, r.offset + done);
        if (n === 0)
          throw new Error(`external data of tensor "${r.tensor.name}" ends early in ${path.basename(r.file)}`);
        done += n;
      }
      r.tensor.rawData = buf;
      r.tensor.externalData = [];
      r.tensor.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
    } finally {
      closeSync(fd);
    }
  }
  return list.length;
}
