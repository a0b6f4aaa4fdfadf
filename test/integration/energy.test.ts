import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrainingEstimate } from '../../src/catalog/training-estimate';

describe('training energy', () => {
  it('Estimate Training Energy returns an estimate with provenance, band and baselines', async () => {
    const r = await vscode.commands.executeCommand<TrainingEstimate>('greenlens.estimateTrainingEnergy', {
      arch: 'resnet50',
      gpu: 'RTX 3090',
      epochs: 30,
      images: 10_000,
      size: 224,
    });
    assert.ok(r, 'an estimate is returned');
    assert.equal(r.energy.provenance, 'estimated');
    assert.ok(Number.isFinite(r.energy.value) && r.energy.value > 0);
    assert.ok(r.energy.low <= r.energy.value && r.energy.value <= r.energy.high, 'the value lies inside its band');
    assert.ok(r.energy.sources.length > 0, 'sources are named');
    assert.equal(r.baselines, undefined, 'no baselines without a duration the user gives');
    assert.match(r.baselinesNote ?? '', /need a duration/);
    const withTime = await vscode.commands.executeCommand<TrainingEstimate>('greenlens.estimateTrainingEnergy', {
      arch: 'resnet50',
      gpu: 'A100',
      epochs: 3,
      images: 10_000,
      gpus: 8,
      precision: 'amp',
      epochSeconds: 20,
    });
    assert.ok(withTime.baselines && withTime.baselines.greenAlgorithms.value > 0 && withTime.baselines.mlco2.value > 0);
    // Twice the epochs costs about twice the energy (same per-epoch model).
    const r2 = await vscode.commands.executeCommand<TrainingEstimate>('greenlens.estimateTrainingEnergy', {
      arch: 'resnet50',
      gpu: 'RTX 3090',
      epochs: 60,
      images: 10_000,
      size: 224,
    });
    assert.ok(Math.abs(r2.energy.value / r.energy.value - 2) < 1e-6);
  });

  it('an unknown GPU gives a clear message, not an exception', async () => {
    const r = await vscode.commands.executeCommand<TrainingEstimate | undefined>('greenlens.estimateTrainingEnergy', {
      arch: 'resnet50',
      gpu: 'Imaginary GPU 9000',
      epochs: 3,
      images: 100,
    });
    assert.equal(r, undefined);
  });
});
