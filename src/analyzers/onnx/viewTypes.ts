/** The display model of an ONNX summary, shared with the webview (no Node imports here). */

export interface OnnxViewRow {
  label: string;
  value: string;
  /** Where the figure comes from and how sure it is. */
  source?: string;
}

export interface OnnxView {
  title: string;
  headline: OnnxViewRow[];
  model: OnnxViewRow[];
  inputs: { name: string; dtype: string; shape: string; resolved: string }[];
  outputs: { name: string; dtype: string; shape: string; resolved: string }[];
  ops: { op: string; count: number }[];
  topNodes: { name: string; op: string; macs: string; share: string; shape: string }[];
  parametersByDtype: { dtype: string; count: string; bytes: string }[];
  notes: string[];
  /**
   * Energy per inference, yearly energy, cost and CO2e, and grade as the report states them (added by the
   * host, which knows the settings and the hardware); absent while they are being worked out.
   */
  figures?: OnnxViewRow[];
}
