/**
 * GreenLens: Show Report — opens the report panel (or reveals it), on one model's section when called
 * with an ONNX file (explorer, Models view) or `{ modelId }`. Returns the report shown.
 */
import type { Report } from '../../report/types';
import type { GreenLensContext } from '../context';
import { showReport as show } from '../report/index';

export function showReport(ctx: GreenLensContext) {
  return (arg?: unknown): Promise<Report | undefined> => show(ctx, arg);
}
