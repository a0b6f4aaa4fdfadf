/**
 * Builds the model catalog from timm's ImageNet results and benchmark tables and torchvision's weight
 * metadata. Pure (texts in, entries out): scripts/gen-catalog.mjs reads the files and writes
 * src/catalog/data/catalog.json, which is committed.
 */
import { parseCsvRecords, csvNumber } from '../energy/csv';
import { predictJoulesPerImage, type DeviceCalibration } from '../energy/calibration';
import { gradeEntries, gradeRange, isTestNetwork, type Grade } from './grades';

/** One model at one image size. */
export interface CatalogEntry {
  /** `timm-name@size` or `torchvision:builder.WEIGHTS@size`. */
  id: string;
  source: 'timm' | 'torchvision';
  /** Name as written in code: `resnet50.a1_in1k` or `torchvision:resnet50.IMAGENET1K_V2`. */
  name: string;
  /** timm architecture whose compute and throughput are used. */
  arch: string;
  imgSize: number;
  top1: number;
  top5?: number;
  paramsM: number;
  gmacs: number;
  mactsM: number;
  /** How GMACs were obtained when not measured at this size. */
  macsNote?: string;
  /** Measured samples/s at this image size: RTX 3090 and RTX 4090 (AMP, batch 1024), i7-12700H (fp32, batch 1). */
  throughput: { rtx3090?: number; rtx4090?: number; cpu?: number };
  /** Reference energy per inference on an RTX 3090 (J): board power ÷ measured throughput, else from MACs. */
  energyJ: number;
  energyMethod: 'measured throughput × board power' | 'MACs calibration';
  /**
   * Band of energyJ. For the MACs calibration, its 5–95 % residual band. For measured throughput, half
   * to full board power: the board may draw less than its limit. That factor is shared by every measured
   * entry on the device, so it does not move their grades.
   */
  energyLowJ: number;
  energyHighJ: number;
  /** timm's test networks: kept for lookup, left out of the frontier and the default listing. */
  testNetwork?: true;
  grade: Grade;
  /** Present when the entry's own energy band spans more than one grade. */
  gradeRange?: [Grade, Grade];
  /** The grade when the frontier is drawn on another benchmark device instead (only where it differs). */
  gradeOn?: { rtx4090?: Grade; cpu?: Grade };
  score: number;
  excess: number;
  frontierId: string;
}

/** Inputs of buildCatalog: file texts and the RTX 3090 calibration. */
export interface CatalogInputs {
  results: string;
  rtx3090: string;
  rtx4090: string;
  cpu: string;
  torchvision: {
    builders: {
      builder: string;
      weights: { name: string; numParams?: number; acc1?: number; acc5?: number; cropSize?: number }[];
    }[];
  };
  calibration3090: DeviceCalibration;
}

export const REFERENCE_BOARD_POWER_W = 350;

type Bench = Map<string, { size: number; sps: number; gmacs: number; macts: number }[]>;

function benchTable(text: string): Bench {
  const out: Bench = new Map();
  for (const r of parseCsvRecords(text)) {
    const size = csvNumber(r.infer_img_size);
    const sps = csvNumber(r.infer_samples_per_sec);
    const gmacs = csvNumber(r.infer_gmacs);
    const macts = csvNumber(r.infer_macts);
    if (!r.model || !size || !sps || !gmacs || !macts) continue;
    const list = out.get(r.model) ?? [];
    list.push({ size, sps, gmacs, macts });
    out.set(r.model, list);
  }
  return out;
}

/** torchvision builder → timm architecture with the same network (names differ for a few families). */
export function timmArchOf(builder: string): string {
  const fixed: Record<string, string> = {
    mobilenet_v2: 'mobilenetv2_100',
    mobilenet_v3_large: 'mobilenetv3_large_100',
    mobilenet_v3_small: 'mobilenetv3_small_100',
    vit_b_16: 'vit_base_patch16_224',
    vit_b_32: 'vit_base_patch32_224',
    vit_l_16: 'vit_large_patch16_224',
    vit_l_32: 'vit_large_patch32_224',
    vit_h_14: 'vit_huge_patch14_224',
    swin_t: 'swin_tiny_patch4_window7_224',
    swin_s: 'swin_small_patch4_window7_224',
    swin_b: 'swin_base_patch4_window7_224',
    maxvit_t: 'maxvit_tiny_tf_224',
    mnasnet1_0: 'mnasnet_100',
    mnasnet0_5: 'mnasnet_050',
    efficientnet_v2_s: 'tf_efficientnetv2_s',
    efficientnet_v2_m: 'tf_efficientnetv2_m',
    efficientnet_v2_l: 'tf_efficientnetv2_l',
    regnet_x_400mf: 'regnetx_004',
    regnet_x_800mf: 'regnetx_008',
    regnet_x_1_6gf: 'regnetx_016',
    regnet_x_3_2gf: 'regnetx_032',
    regnet_x_8gf: 'regnetx_080',
    regnet_x_16gf: 'regnetx_160',
    regnet_x_32gf: 'regnetx_320',
    regnet_y_400mf: 'regnety_004',
    regnet_y_800mf: 'regnety_008',
    regnet_y_1_6gf: 'regnety_016',
    regnet_y_3_2gf: 'regnety_032',
    regnet_y_8gf: 'regnety_080',
    regnet_y_16gf: 'regnety_160',
    regnet_y_32gf: 'regnety_320',
    regnet_y_128gf: 'regnety_1280',
  };
  return fixed[builder] ?? builder;
}

interface Compute {
  gmacs: number;
  macts: number;
  note?: string;
  throughput: CatalogEntry['throughput'];
}

function computeAt(
  arch: string,
  size: number,
  tables: { b3090: Bench; b4090: Bench; bcpu: Bench },
): Compute | undefined {
  const rows = [tables.b3090, tables.b4090, tables.bcpu].flatMap((t) => t.get(arch) ?? []);
  if (rows.length === 0) return undefined;
  const at = (t: Bench): number | undefined => t.get(arch)?.find((r) => r.size === size)?.sps;
  const throughput = { rtx3090: at(tables.b3090), rtx4090: at(tables.b4090), cpu: at(tables.bcpu) };
  const exact = rows.find((r) => r.size === size);
  if (exact) return { gmacs: exact.gmacs, macts: exact.macts, throughput };
  // Convolutional and patch-based compute grows with the pixel count: scale from the nearest measured size.
  const near = [...rows].sort((a, b) => Math.abs(a.size - size) - Math.abs(b.size - size) || a.size - b.size)[0]!;
  const f = (size / near.size) ** 2;
  return {
    gmacs: near.gmacs * f,
    macts: near.macts * f,
    note: `scaled from ${near.size} px by pixel count`,
    throughput,
  };
}

type Draft = Omit<CatalogEntry, 'grade' | 'gradeRange' | 'gradeOn' | 'score' | 'excess' | 'frontierId'>;

/** Board power of the other benchmark devices, W (ML CO2 Impact's RTX 4090 row; the i7-12700H's 45 W base power). */
const OTHER_DEVICES = { rtx4090: 450, cpu: 45 } as const;

function draft(
  base: Omit<Draft, 'gmacs' | 'mactsM' | 'throughput' | 'energyJ' | 'energyMethod' | 'energyLowJ' | 'energyHighJ'>,
  c: Compute,
  cal: DeviceCalibration,
): Draft {
  const sps = c.throughput.rtx3090;
  const measured = sps !== undefined && !c.note;
  const fit = predictJoulesPerImage(cal, c.gmacs, c.macts);
  const energyJ = measured ? REFERENCE_BOARD_POWER_W / sps : fit.value;
  const throughput = Object.fromEntries(Object.entries(c.throughput).filter(([, v]) => v !== undefined));
  return {
    ...base,
    gmacs: round(c.gmacs, 4),
    mactsM: round(c.macts, 4),
    ...(c.note ? { macsNote: c.note } : {}),
    throughput,
    energyJ: round(energyJ, 6),
    energyMethod: measured ? 'measured throughput × board power' : 'MACs calibration',
    energyLowJ: round(measured ? energyJ * 0.5 : fit.low, 6),
    energyHighJ: round(measured ? energyJ : fit.high, 6),
    ...(isTestNetwork(base.arch) ? { testNetwork: true as const } : {}),
  };
}

/** Grades on another device's measured throughput, for the entries measured there. */
function gradesOn(drafts: readonly Draft[], key: keyof typeof OTHER_DEVICES): Map<string, Grade> {
  const on = drafts.flatMap((d) => {
    const sps = d.macsNote ? undefined : d.throughput[key];
    return sps ? [{ id: d.id, top1: d.top1, energyJ: OTHER_DEVICES[key] / sps, testNetwork: d.testNetwork }] : [];
  });
  return new Map([...gradeEntries(on)].map(([id, g]) => [id, g.grade]));
}

function round(x: number, digits: number): number {
  return Number(x.toPrecision(digits));
}

function timmDrafts(inputs: CatalogInputs, tables: { b3090: Bench; b4090: Bench; bcpu: Bench }): Draft[] {
  const out: Draft[] = [];
  for (const r of parseCsvRecords(inputs.results)) {
    const [arch = '', tag = ''] = (r.model ?? '').split('.', 2);
    const size = csvNumber(r.img_size);
    const top1 = csvNumber(r.top1);
    const paramsM = csvNumber(r.param_count);
    if (!arch || !size || top1 === undefined || paramsM === undefined) continue;
    const c = computeAt(arch, size, tables);
    if (!c) continue;
    out.push(
      draft(
        {
          id: `${r.model}@${size}`,
          source: 'timm',
          name: r.model!,
          arch,
          imgSize: size,
          top1,
          top5: csvNumber(r.top5),
          paramsM,
        },
        c,
        inputs.calibration3090,
      ),
    );
    void tag;
  }
  return out;
}

function torchvisionDrafts(inputs: CatalogInputs, tables: { b3090: Bench; b4090: Bench; bcpu: Bench }): Draft[] {
  const out: Draft[] = [];
  for (const b of inputs.torchvision.builders) {
    const arch = timmArchOf(b.builder);
    for (const w of b.weights) {
      const size = w.cropSize ?? 224;
      if (w.acc1 === undefined || w.acc1 === null || !w.numParams) continue;
      const c = computeAt(arch, size, tables);
      if (!c) continue;
      const name = `torchvision:${b.builder}.${w.name}`;
      out.push(
        draft(
          {
            id: `${name}@${size}`,
            source: 'torchvision',
            name,
            arch,
            imgSize: size,
            top1: w.acc1,
            top5: w.acc5 ?? undefined,
            paramsM: round(w.numParams / 1e6, 5),
          },
          c,
          inputs.calibration3090,
        ),
      );
    }
  }
  return out;
}

/** Builds, grades and sorts (by id) the catalog. Deterministic: same inputs, same output. */
export function buildCatalog(inputs: CatalogInputs): CatalogEntry[] {
  const tables = { b3090: benchTable(inputs.rtx3090), b4090: benchTable(inputs.rtx4090), bcpu: benchTable(inputs.cpu) };
  const drafts = [...timmDrafts(inputs, tables), ...torchvisionDrafts(inputs, tables)];
  const grades = gradeEntries(drafts);
  const energyOf = new Map(drafts.map((d) => [d.id, d.energyJ]));
  const other = { rtx4090: gradesOn(drafts, 'rtx4090'), cpu: gradesOn(drafts, 'cpu') };
  return drafts
    .map((d): CatalogEntry => {
      const g = grades.get(d.id)!;
      const bar = energyOf.get(g.frontierId)!;
      const range =
        d.energyMethod === 'MACs calibration' ? gradeRange(d.energyLowJ / bar, d.energyHighJ / bar) : undefined;
      const gradeOn: NonNullable<CatalogEntry['gradeOn']> = {};
      for (const k of ['rtx4090', 'cpu'] as const) {
        const o = other[k].get(d.id);
        if (o && o !== g.grade) gradeOn[k] = o;
      }
      return {
        ...d,
        grade: g.grade,
        ...(range && range[0] !== range[1] ? { gradeRange: range } : {}),
        ...(Object.keys(gradeOn).length ? { gradeOn } : {}),
        score: g.score,
        excess: round(g.excess, 4),
        frontierId: g.frontierId,
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
