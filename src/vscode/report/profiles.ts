/**
 * The latest profile of each ONNX file of the workspace, kept in the workspace state so that the report
 * shows measured figures again after a reload without measuring anything twice. Keyed by the file's
 * workspace-relative path, like the report's inputs.
 */
import type * as vscode from 'vscode';
import type { ProfileResult } from '../../profiler/types';

const KEY = 'greenlens.report.profiles';
/** Profiles of files gone from the workspace are dropped past this many entries, oldest first. */
const MAX_ENTRIES = 200;

function looksLikeProfile(v: unknown): v is ProfileResult {
  const p = v as Partial<ProfileResult> | undefined;
  return (
    !!p &&
    typeof p.modelPath === 'string' &&
    typeof p.startedAt === 'string' &&
    Array.isArray(p.variants) &&
    typeof p.machine === 'object'
  );
}

export class ProfileStore {
  constructor(private readonly memento: vscode.Memento) {}

  /** Every stored profile whose shape is still readable (a profile from an older version is skipped). */
  all(): Record<string, ProfileResult> {
    const raw = this.memento.get<unknown>(KEY);
    if (typeof raw !== 'object' || raw === null) return {};
    return Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter((e): e is [string, ProfileResult] =>
        looksLikeProfile(e[1]),
      ),
    );
  }

  async put(file: string, result: ProfileResult): Promise<void> {
    const all = this.all();
    delete all[file];
    all[file] = result;
    const entries = Object.entries(all);
    await this.memento.update(KEY, Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_ENTRIES))));
  }
}
