/**
 * The command table: one handler factory per command id, registered by the context behind its one error
 * wrapper. The table's type requires a factory for every id of `ids.ts` and refuses any other key, so a
 * command declared without a handler, or a handler without an id, fails to type-check.
 */
import type { CommandTable } from '../context';
import { ModelsView } from '../onnx/modelsView';
import { analyzeWorkspace, pythonCommands } from '../python/index';
import { estimateTrainingEnergy } from './estimateTrainingEnergy';
import { Commands } from './ids';
import { inspectOnnxModel } from './inspectOnnxModel';
import { profileOnnxModel } from './profileOnnxModel';
import { profileTorchModel } from './profileTorch';
import { selectHardwareProfile } from './selectHardwareProfile';
import { showReport } from './showReport';

export const COMMANDS: CommandTable = {
  [Commands.analyzeWorkspace]: analyzeWorkspace,
  [Commands.showReport]: showReport,
  [Commands.profileOnnxModel]: profileOnnxModel,
  [Commands.profileTorchModel]: profileTorchModel,
  [Commands.inspectOnnxModel]: inspectOnnxModel,
  [Commands.estimateTrainingEnergy]: estimateTrainingEnergy,
  [Commands.selectHardwareProfile]: selectHardwareProfile,
  [Commands.refreshModels]: (ctx) => () => ctx.feature(ModelsView).refresh(),
  ...pythonCommands,
};
