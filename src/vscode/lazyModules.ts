/**
 * The heavy modules the editor loads on first use, so that activation evaluates none of them: the Python
 * engine (grammar runtime, catalog, energy models), the report builder and exporters, the profilers, the
 * training estimator and hardware detection. Every such load goes through this table, and nothing else in
 * src/vscode calls require() or import().
 *
 * Each entry calls require() with a literal path: esbuild bundles only literal paths, and in the bundle it
 * evaluates a module the first time its require() runs, not when the bundle loads. The module's type comes
 * from an `import type`, which costs nothing at run time. Each entry keeps what it loaded, because the
 * bundle's require() copies the module's exports into a new object on every call.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as PythonAnalyzer from '../analyzers/python/index';
import type * as Detect from '../energy/detect';
import type * as TrainingEstimate from '../catalog/training-estimate';
import type * as TrainingFormat from '../catalog/training-format';
import type * as Profiler from '../profiler/index';
import type * as TorchProfiler from '../profiler/torch/index';
import type * as ReportBuild from '../report/build';
import type * as ReportGather from '../report/gather';
import type * as ModelFigures from '../report/modelFigures';
import type * as ProfileText from '../report/profileText';
import type * as ReportRender from '../report/render';
import type * as PythonEngine from './python/lazyCore';

/** The loader, run once; later calls return the module it gave. */
function once<T>(load: () => T): () => T {
  let loaded: { module: T } | undefined;
  return () => (loaded ??= { module: load() }).module;
}

export const lazyModules = {
  pythonEngine: once(() => require('./python/lazyCore') as typeof PythonEngine),
  pythonAnalyzer: once(() => require('../analyzers/python/index') as typeof PythonAnalyzer),
  hardwareDetection: once(() => require('../energy/detect') as typeof Detect),
  trainingEstimate: once(() => require('../catalog/training-estimate') as typeof TrainingEstimate),
  trainingFormat: once(() => require('../catalog/training-format') as typeof TrainingFormat),
  profiler: once(() => require('../profiler/index') as typeof Profiler),
  torchProfiler: once(() => require('../profiler/torch/index') as typeof TorchProfiler),
  profileText: once(() => require('../report/profileText') as typeof ProfileText),
  reportBuild: once(() => require('../report/build') as typeof ReportBuild),
  reportGather: once(() => require('../report/gather') as typeof ReportGather),
  modelFigures: once(() => require('../report/modelFigures') as typeof ModelFigures),
  reportRender: once(() => require('../report/render') as typeof ReportRender),
} as const;
