/**
 * The command table: one handler factory per command id, registered by the context behind its one error
 * wrapper. The table's type requires a factory for every id of `ids.ts` and refuses any other key, so a
 * command declared without a handler, or a handler without an id, fails to type-check.
 */
import type { CommandTable } from '../context';
import { analyzeWorkspace, pythonCommands } from '../python/index';
import { greenerModel, openFullReport, profileModel, revealModel } from '../sidebar/actions';
import { refreshModels } from '../sidebar/index';
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
  [Commands.refreshModels]: (ctx) => () => refreshModels(ctx),
  [Commands.openFullReport]: (ctx) => (arg?: unknown) => openFullReport(ctx, arg),
  [Commands.profileModel]: () => (arg?: unknown) => profileModel(arg),
  [Commands.greenerModel]: (ctx) => (arg?: unknown) => greenerModel(ctx, arg),
  [Commands.revealModel]: () => (arg?: unknown) => revealModel(arg),
  ...pythonCommands,
};
