import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('configuration', () => {
  it('declares a documented setting for each configurable concern', () => {
    const ext = vscode.extensions.getExtension('greenlens.greenlens')!;
    // The settings are declared in sections by concern; a setting is looked up across all of them.
    const sections = ext.packageJSON.contributes.configuration as {
      properties: Record<string, { markdownDescription?: string; description?: string }>;
    }[];
    const props = Object.assign({}, ...sections.map((s) => s.properties)) as Record<
      string,
      { markdownDescription?: string; description?: string }
    >;
    for (const key of [
      'electricity.price',
      'electricity.currency',
      'carbon.region',
      'carbon.intensity',
      'hardware.profile',
      'profiling.timeBudgetSeconds',
      'workload.inferencesPerDay',
      'accuracy.tolerance',
      'codeLens.enabled',
      'diagnostics.enabled',
      'diagnostics.severity',
    ]) {
      const p = props[`greenlens.${key}`];
      assert.ok(p, `greenlens.${key} exists`);
      assert.ok((p.markdownDescription ?? p.description ?? '').length > 20, `greenlens.${key} is documented`);
    }
  });

  it('reads the defaults through the configuration API', () => {
    const cfg = vscode.workspace.getConfiguration('greenlens');
    assert.equal(cfg.get('profiling.timeBudgetSeconds'), 60);
    assert.equal(cfg.get('hardware.profile'), 'auto');
  });
});
