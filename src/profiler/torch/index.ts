/**
 * The PyTorch profiler's public API (pure Node, no vscode): measure the first study's tactics on a model
 * site in the user's own Python, with the ONNX profiler's result format.
 */
export { prepareTorchProfile, writeHarness, type PreparedHarness, type TorchProfileOptions } from './prepare';
export { profileTorch } from './profile';
export { generateHarness } from './generate';
export { isTorchProfilable, pickSite, torchSiteOf, unsupportedReason } from './plan';
export {
  DEFAULT_TORCH_VARIANTS,
  TORCH_VARIANT_FORMS,
  TorchVariantSpecError,
  parseTorchVariant,
  parseTorchVariantList,
  torchVariantLabel,
} from './spec';
export { formatTorchProfile } from './format';
export { killTree, runHarness, type HarnessExit } from './process';
export { isHarnessMessage, parseHarnessLine, decodeOutputs, HARNESS_PROTOCOL, type HarnessMessage } from './protocol';
export * from './types';
