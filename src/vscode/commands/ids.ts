/** Command identifiers, in one place (they must match package.json's contributes.commands). */
export const Commands = {
  analyzeWorkspace: 'greenlens.analyzeWorkspace',
  showReport: 'greenlens.showReport',
  profileOnnxModel: 'greenlens.profileOnnxModel',
  profileTorchModel: 'greenlens.profileTorchModel',
  inspectOnnxModel: 'greenlens.inspectOnnxModel',
  estimateTrainingEnergy: 'greenlens.estimateTrainingEnergy',
  selectHardwareProfile: 'greenlens.selectHardwareProfile',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
