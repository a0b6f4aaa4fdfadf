/**
 * Derivation of the hardware, carbon-intensity and inference-calibration tables in src/energy/data from
 * the text of the public data files (paths relative to the shared data folder, see SOURCES.md there).
 * Pure: scripts/gen-energy-data.mjs reads the files and writes the JSON.
 */
import { parseCsvRecords, csvNumber } from './csv';
import { fitInferenceCalibration, timmInferenceRows, type CalibrationRow } from './calibration';

/** Reads one data file by its path relative to the data folder. */
export type DataReader = (path: string) => string;

function cpus(read: DataReader): [string, number][] {
  const rows = parseCsvRecords(read('codecarbon/cpu_power.csv'));
  const out: [string, number][] = [];
  for (const r of rows) {
    const tdp = csvNumber(r.TDP);
    if (r.Name && tdp !== undefined && tdp > 0) out.push([r.Name, tdp]);
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

function gpus(
  read: DataReader,
): { name: string; type: string; tdpW: number; tflops32?: number; tflops16?: number; memoryGB?: number }[] {
  return parseCsvRecords(read('mlco2-impact/gpus.csv'))
    .map((r) => ({
      name: r.name ?? '',
      type: r.type ?? '',
      tdpW: csvNumber(r.tdp_watts) ?? 0,
      tflops32: csvNumber(r.TFLOPS32),
      tflops16: csvNumber(r.TFLOPS16),
      memoryGB: csvNumber(r.memory),
    }))
    .filter((g) => g.name && g.tdpW > 0);
}

function carbon(read: DataReader): object {
  const mix = JSON.parse(read('codecarbon/global_energy_mix.json')) as Record<
    string,
    { carbon_intensity?: number; country_name?: string; year?: number }
  >;
  const perSource = JSON.parse(read('codecarbon/carbon_intensity_per_source.json')) as { world_average: number };
  const countries: Record<string, { name: string; gPerKWh: number; year: number }> = {};
  for (const [iso, c] of Object.entries(mix)) {
    if (/^[A-Z]{3}$/.test(iso) && typeof c.carbon_intensity === 'number' && Number.isFinite(c.carbon_intensity)) {
      countries[iso] = { name: c.country_name ?? iso, gPerKWh: c.carbon_intensity, year: c.year ?? 2022 };
    }
  }
  const regions: Record<string, { gPerKWh: number; country: string; source: 'codecarbonCloud' | 'mlco2Cloud' }> = {};
  // ML CO2 Impact first, then CodeCarbon's newer figures override the regions both list.
  for (const r of parseCsvRecords(read('mlco2-impact/impact.csv'))) {
    const g = csvNumber(r.impact);
    if (r.provider && r.region && g !== undefined)
      regions[`${r.provider}:${r.region}`] = { gPerKWh: g, country: r.country ?? '', source: 'mlco2Cloud' };
  }
  for (const r of parseCsvRecords(read('codecarbon/impact.csv'))) {
    const g = csvNumber(r.impact);
    if (r.provider && r.region && g !== undefined)
      regions[`${r.provider}:${r.region}`] = {
        gPerKWh: g,
        country: r.countryIsoCode ?? r.country_name ?? '',
        source: 'codecarbonCloud',
      };
  }
  const sorted = Object.fromEntries(Object.entries(regions).sort(([a], [b]) => a.localeCompare(b)));
  return { worldAverageGPerKWh: perSource.world_average, countries, regions: sorted };
}

function benchRows(read: DataReader, file: string): CalibrationRow[] {
  return timmInferenceRows(read(`timm/${file}`));
}

function calibration(read: DataReader): object {
  const devices = [
    {
      id: 'rtx3090',
      name: 'RTX 3090',
      kind: 'gpu',
      boardPowerW: 350,
      file: 'benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv',
      setup: 'AMP, batch 1024, PyTorch 2.4',
    },
    {
      id: 'rtx4090',
      name: 'RTX 4090',
      kind: 'gpu',
      boardPowerW: 450,
      file: 'benchmark-infer-amp-nchw-pt291-cu128-4090.csv',
      setup: 'AMP, batch 1024, PyTorch 2.9',
    },
    {
      id: 'i7-12700h',
      name: 'Intel Core i7-12700H',
      kind: 'cpu',
      boardPowerW: 45,
      file: 'benchmark-infer-fp32-nchw-pt240-cpu-i7_12700h-dynamo.csv',
      setup: 'fp32, batch 1, torch.compile',
    },
  ] as const;
  return {
    devices: devices.map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      boardPowerW: d.boardPowerW,
      setup: d.setup,
      ...fitInferenceCalibration(benchRows(read, d.file), d.boardPowerW),
    })),
  };
}

/** Derives every table: the keys are the file names written to src/energy/data. */
export function deriveEnergyData(read: DataReader): Record<string, unknown> {
  return {
    'cpus.json': cpus(read),
    'gpus.json': gpus(read),
    'carbon.json': carbon(read),
    'inference-calibration.json': calibration(read),
  };
}
