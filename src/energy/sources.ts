/**
 * Citations of the public data behind GreenLens's figures. Every Estimate lists the ones it used, so a
 * user can check where a number comes from. The data themselves are derived into src/energy/data and
 * src/catalog/data by the scripts in scripts/ and committed.
 */
import { DEFAULT_SETTINGS } from '../settings';

export const SOURCES = {
  codecarbonCpu: 'CodeCarbon CPU TDP table, cpu_power.csv (mlco2/codecarbon, MIT)',
  codecarbonMix: 'CodeCarbon per-country carbon intensity 2022, global_energy_mix.json (mlco2/codecarbon, MIT)',
  codecarbonWorld:
    'World average 475 gCO2e/kWh (IEA 2019) via CodeCarbon carbon_intensity_per_source.json (mlco2/codecarbon, MIT)',
  codecarbonCloud: 'CodeCarbon cloud region carbon intensity, impact.csv (mlco2/codecarbon, MIT)',
  mlco2Gpus: 'ML CO2 Impact GPU table, gpus.csv (mlco2/impact, MIT)',
  mlco2Cloud: 'ML CO2 Impact cloud region carbon intensity, impact.csv (mlco2/impact, MIT)',
  timmResults: 'timm ImageNet results and benchmarks, results/*.csv (huggingface/pytorch-image-models, Apache-2.0)',
  torchvision: 'torchvision 0.14 model builders and weight metadata (pytorch/vision, BSD-3-Clause)',
  delRey: 'del Rey et al., DL training energy dataset, 369 runs (GAISSA-UPC/seaa2023_ect, CC BY 4.0)',
  greenAlgorithms: 'Green Algorithms: E = (TDP × utilisation + RAM_GB × 0.3725 W) × time (Lannelongue et al. 2021)',
  mlco2Calculator: 'ML CO2 Impact calculator: E = TDP × time (Lacoste et al. 2019)',
  userSetting: 'GreenLens settings (user-provided value)',
  defaultPrice: `GreenLens default electricity price ${DEFAULT_SETTINGS.electricityPrice} ${DEFAULT_SETTINGS.currency}/kWh (placeholder, not user-provided; set greenlens.electricity.price)`,
} as const;

export type SourceId = keyof typeof SOURCES;
