/**
 * The inputs question before a profile: the folders of the workspace that look like labelled data (found
 * as the CLI's report finds them, the one named like the model first), random inputs, or a folder of the
 * user's choice. Returns the folder, null for random inputs, or undefined when the user cancels.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { datasetCandidates, type DatasetCandidate } from '../repository/datasets';

type InputsItem = vscode.QuickPickItem & { dir: string | null };

/** One row per dataset folder found, named by its path in the workspace and what it gives. */
function candidateItem(c: DatasetCandidate): InputsItem {
  const what = c.labelled
    ? 'inputs.npy and labels.json: accuracy against the labels'
    : 'inputs.npy without labels: agreement with the baseline';
  return {
    label: `$(database) ${vscode.workspace.asRelativePath(c.dir)}`,
    description: c.matchesModel ? 'named like the model' : undefined,
    detail: what,
    dir: c.dir,
  };
}

/** Asks which inputs a profile of `model` uses; `randomDescription` says how random inputs are shaped. */
export async function chooseProfileInputs(
  model: vscode.Uri,
  title: string,
  randomDescription: string,
): Promise<string | null | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(model)?.uri.fsPath;
  const found = folder ? datasetCandidates(folder, model.fsPath) : [];
  const items: InputsItem[] = [
    ...found.map(candidateItem),
    { label: 'Random inputs', description: randomDescription, dir: null },
    {
      label: 'Choose a dataset folder…',
      description: 'inputs.npy and labels.json: accuracy is measured against the labels',
      dir: '',
    },
  ];
  const placeHolder = found.length
    ? 'Labelled data found in the workspace, or random inputs'
    : 'No labelled data under data/ in the workspace: random inputs, or choose a folder';
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDetail: true });
  if (!picked) return undefined;
  if (picked.dir !== '') return picked.dir;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    defaultUri: vscode.Uri.file(folder ?? path.dirname(model.fsPath)),
    openLabel: 'Use as dataset',
  });
  return chosen?.[0]?.fsPath;
}
