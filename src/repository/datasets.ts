/**
 * Finding the folders of a workspace that look like labelled data for the profiler: folders under
 * `<workspace>/data` holding `inputs.npy` (the format of docs/datasets.md). The CLI's report pipeline
 * takes the one named like the model; the editor's dataset picker proposes all of them, that one first.
 * No `vscode` here.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** A folder that can feed the profiler: its path, whether it has labels, and whether it is named like the model. */
export interface DatasetCandidate {
  dir: string;
  /** `labels.json` is there: accuracy is measured against the labels, not only against the baseline. */
  labelled: boolean;
  /** Its name starts with the first word of the model file's name (`fashion_mlp.onnx` → `fashion-mnist-test`). */
  matchesModel: boolean;
}

/** The first word of a file or folder name: `fashion_mlp.onnx` → `fashion`. */
function firstWord(name: string): string {
  return name.toLowerCase().split(/[-_.]/)[0] ?? '';
}

/**
 * The folders under `<folder>/data` holding inputs.npy, sorted by name, with those named like the model
 * first. An unreadable or missing data folder gives none.
 */
export function datasetCandidates(folder: string, modelFile: string): DatasetCandidate[] {
  const dataDir = path.join(folder, 'data');
  let names: string[];
  try {
    names = readdirSync(dataDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
  const word = firstWord(path.basename(modelFile));
  const found = names
    .filter((n) => existsSync(path.join(dataDir, n, 'inputs.npy')))
    .map((n) => ({
      dir: path.join(dataDir, n),
      labelled: existsSync(path.join(dataDir, n, 'labels.json')),
      matchesModel: word !== '' && firstWord(n) === word,
    }));
  return [...found.filter((c) => c.matchesModel), ...found.filter((c) => !c.matchesModel)];
}

/**
 * A dataset folder under `<folder>/data` for a model: one holding inputs.npy whose name starts with the
 * first word of the model's file name (`fashion_mlp.onnx` → `data/fashion-mnist-test`). Labels there
 * give true accuracy; without one the profiler compares variants with the baseline on random inputs.
 */
export function datasetFor(folder: string, modelFile: string): string | undefined {
  return datasetCandidates(folder, modelFile).find((c) => c.matchesModel)?.dir;
}
