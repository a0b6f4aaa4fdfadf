/**
 * Every command id of the extension, in one place. `Commands` are the ones package.json contributes (the
 * palette, menus, keybindings); `InternalCommands` are run by code lenses and quick fixes only and are not
 * contributed. A unit test checks both tables against package.json, and the command table in
 * `commands/index.ts` must give each id a handler. This module stays free of `vscode` so that test can load it.
 */
export const Commands = {
  analyzeWorkspace: 'greenlens.analyzeWorkspace',
  showReport: 'greenlens.showReport',
  profileOnnxModel: 'greenlens.profileOnnxModel',
  profileTorchModel: 'greenlens.profileTorchModel',
  inspectOnnxModel: 'greenlens.inspectOnnxModel',
  estimateTrainingEnergy: 'greenlens.estimateTrainingEnergy',
  selectHardwareProfile: 'greenlens.selectHardwareProfile',
  refreshModels: 'greenlens.refreshModels',
  openFullReport: 'greenlens.openFullReport',
  profileModel: 'greenlens.models.profile',
  greenerModel: 'greenlens.models.greener',
  revealModel: 'greenlens.models.reveal',
} as const;

/** Commands behind the Python lenses and quick fixes (not in the palette). */
export const InternalCommands = {
  showDetails: 'greenlens.python.showDetails',
  profileVariants: 'greenlens.python.profileVariants',
  alternatives: 'greenlens.python.alternatives',
  trainingDetails: 'greenlens.python.trainingDetails',
  ruleDocs: 'greenlens.python.showRuleDocumentation',
} as const;

export type ContributedCommandId = (typeof Commands)[keyof typeof Commands];
export type InternalCommandId = (typeof InternalCommands)[keyof typeof InternalCommands];
export type CommandId = ContributedCommandId | InternalCommandId;
