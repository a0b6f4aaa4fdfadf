/** GreenLens: Select Hardware Profile — pick `auto` or this machine's detected CPU as the profile. */
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { GreenLensContext } from '../context';
import { SECTION } from '../config';

export function selectHardwareProfile(ctx: GreenLensContext) {
  return async (): Promise<string | undefined> => {
    const cpu = os.cpus()[0]?.model?.trim() || 'unknown CPU';
    const current = ctx.config.settings.hardwareProfile;
    const items: (vscode.QuickPickItem & { value: string })[] = [
      { label: 'auto', description: `detect this machine (${cpu})`, value: 'auto' },
      { label: cpu, description: 'this machine’s CPU, fixed', value: cpu },
      { label: 'Enter a CPU or GPU name…', description: 'as in the CodeCarbon or ML CO2 Impact tables', value: '' },
    ];
    for (const item of items) if (item.value === current) item.picked = true;
    const picked = await vscode.window.showQuickPick(items, {
      title: 'GreenLens: hardware profile',
      placeHolder: `Current: ${current}`,
    });
    if (!picked) return undefined;
    let value = picked.value;
    if (!value) {
      value =
        (
          await vscode.window.showInputBox({
            title: 'CPU or GPU name',
            prompt: 'For example "AMD Ryzen 9 7950X" or "RTX 3090"',
            validateInput: (v) => (v.trim() ? undefined : 'Enter a name'),
          })
        )?.trim() ?? '';
      if (!value) return undefined;
    }
    const target = vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update('hardware.profile', value, target);
    ctx.log.info(`Hardware profile set to ${value}`);
    return value;
  };
}
