/**
 * Dense peak throughput per precision and board power limit of the GPUs people train on, each row taken
 * from the vendor's data sheet or architecture white paper named in its `source`. These peaks bound
 * training time from below (a run cannot do more arithmetic per second than the board's dense peak) and
 * its power from above. Memory bandwidth moves a measured time from one GPU to another (device-transfer.ts):
 * the memory-bound part of a network does not speed up with the peak. Figures a data sheet lists "with sparsity" are halved to their dense value, as
 * the data sheets' footnotes state. A figure left undefined is one the cited document does not give.
 */

/** Numerical precision of a training run. `amp` is fp16 mixed precision (fp32 accumulation). */
export type TrainingPrecision = 'fp32' | 'tf32' | 'amp' | 'bf16';

export const TRAINING_PRECISIONS: readonly TrainingPrecision[] = ['fp32', 'tf32', 'amp', 'bf16'];

/** One GPU board. TFLOPS are dense (no sparsity). */
export interface GpuSpec {
  name: string;
  /** Other names that resolve to this row (matched after normalisation, see `normalizeGpuName`). */
  aliases: readonly string[];
  class: 'datacenter' | 'workstation' | 'consumer';
  /** Board power limit (TDP/TGP), W. */
  boardW: number;
  fp32: number;
  /** TF32 tensor-core peak; undefined on GPUs without TF32. */
  tf32?: number;
  /** FP16 tensor-core peak with FP32 accumulation, as mixed-precision training uses. */
  fp16?: number;
  /** BF16 tensor-core peak with FP32 accumulation. */
  bf16?: number;
  memoryGB: number;
  /** Peak memory bandwidth, GB/s: the memory-bound part of a network's time scales with it. */
  bandwidthGBs: number;
  source: { name: string; url: string };
}

const A100_SHEET = {
  name: 'NVIDIA A100 Tensor Core GPU data sheet',
  url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
};
const H100_SHEET = {
  name: 'NVIDIA H100 Tensor Core GPU data sheet',
  url: 'https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet',
};
const V100_SHEET = {
  name: 'NVIDIA Tesla V100 GPU data sheet',
  url: 'https://images.nvidia.com/content/technologies/volta/pdf/volta-v100-datasheet-update-us-1165301-r5.pdf',
};
const GA102_PAPER = {
  name: 'NVIDIA Ampere GA102 GPU architecture white paper (appendix A)',
  url: 'https://www.nvidia.com/content/PDF/nvidia-ampere-ga-102-gpu-architecture-whitepaper-v2.pdf',
};
const ADA_PAPER = {
  name: 'NVIDIA Ada GPU architecture white paper (appendix A)',
  url: 'https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf',
};

/** The table. Where a card's tensor figures are not in a document we can cite, they are left out. */
export const GPU_SPECS: readonly GpuSpec[] = [
  {
    name: 'Tesla V100 SXM2',
    aliases: ['V100', 'V100 SXM2', 'Tesla V100-SXM2-16GB', 'Tesla V100-SXM2-32GB', 'V100 SXM2 32GB', 'V100 SXM2 16GB'],
    class: 'datacenter',
    boardW: 300,
    fp32: 15.7,
    fp16: 125,
    memoryGB: 32,
    bandwidthGBs: 900,
    source: V100_SHEET,
  },
  {
    name: 'Tesla V100 PCIe',
    aliases: ['V100 PCIe', 'Tesla V100-PCIE-16GB', 'Tesla V100-PCIE-32GB'],
    class: 'datacenter',
    boardW: 250,
    fp32: 14,
    fp16: 112,
    memoryGB: 32,
    bandwidthGBs: 900,
    source: V100_SHEET,
  },
  {
    name: 'A100 SXM4 80GB',
    aliases: ['A100', 'A100 80GB', 'A100 SXM', 'A100 SXM4', 'A100-SXM4-80GB', 'A100 SXM4 80 GB'],
    class: 'datacenter',
    boardW: 400,
    fp32: 19.5,
    tf32: 156,
    fp16: 312,
    bf16: 312,
    memoryGB: 80,
    bandwidthGBs: 2039,
    source: A100_SHEET,
  },
  {
    name: 'A100 SXM4 40GB',
    aliases: ['A100 40GB', 'A100-SXM4-40GB', 'A100 SXM 40GB'],
    class: 'datacenter',
    boardW: 400,
    fp32: 19.5,
    tf32: 156,
    fp16: 312,
    bf16: 312,
    memoryGB: 40,
    bandwidthGBs: 1555,
    source: A100_SHEET,
  },
  {
    name: 'A100 PCIe 80GB',
    aliases: ['A100 PCIe', 'A100 80GB PCIe', 'A100-PCIE-80GB'],
    class: 'datacenter',
    boardW: 300,
    fp32: 19.5,
    tf32: 156,
    fp16: 312,
    bf16: 312,
    memoryGB: 80,
    bandwidthGBs: 1935,
    source: A100_SHEET,
  },
  {
    name: 'A100 PCIe 40GB',
    aliases: ['A100 40GB PCIe', 'A100-PCIE-40GB'],
    class: 'datacenter',
    boardW: 250,
    fp32: 19.5,
    tf32: 156,
    fp16: 312,
    bf16: 312,
    memoryGB: 40,
    bandwidthGBs: 1555,
    source: A100_SHEET,
  },
  {
    name: 'H100 SXM',
    aliases: ['H100', 'H100 SXM5', 'H100 80GB HBM3', 'H100-SXM5-80GB'],
    class: 'datacenter',
    boardW: 700,
    fp32: 67,
    tf32: 494.5,
    fp16: 989.5,
    bf16: 989.5,
    memoryGB: 80,
    bandwidthGBs: 3350,
    source: H100_SHEET,
  },
  {
    name: 'H100 PCIe',
    aliases: ['H100 PCIe', 'H100 PCIe 80GB', 'H100-PCIE-80GB'],
    class: 'datacenter',
    boardW: 350,
    fp32: 51,
    tf32: 378,
    fp16: 756.5,
    bf16: 756.5,
    memoryGB: 80,
    bandwidthGBs: 2000,
    source: H100_SHEET,
  },
  {
    name: 'L4',
    aliases: ['L4'],
    class: 'datacenter',
    boardW: 72,
    fp32: 30.3,
    tf32: 60,
    fp16: 121,
    bf16: 121,
    memoryGB: 24,
    bandwidthGBs: 300,
    source: {
      name: 'NVIDIA L4 Tensor Core GPU data sheet',
      url: 'https://resources.nvidia.com/en-us-data-center-overview/l4-gpu-datasheet',
    },
  },
  {
    name: 'L40S',
    aliases: ['L40S'],
    class: 'datacenter',
    boardW: 350,
    fp32: 91.6,
    tf32: 183,
    fp16: 362.05,
    bf16: 362.05,
    memoryGB: 48,
    bandwidthGBs: 864,
    source: { name: 'NVIDIA L40S GPU data sheet', url: 'https://resources.nvidia.com/en-us-l40s/l40s-datasheet-28413' },
  },
  {
    name: 'T4',
    aliases: ['T4', 'Tesla T4'],
    class: 'datacenter',
    boardW: 70,
    fp32: 8.1,
    fp16: 65,
    memoryGB: 16,
    bandwidthGBs: 320,
    source: {
      name: 'NVIDIA T4 Tensor Core GPU data sheet',
      url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-t4/t4-tensor-core-datasheet-951643.pdf',
    },
  },
  {
    name: 'A10',
    aliases: ['A10'],
    class: 'datacenter',
    boardW: 150,
    fp32: 31.2,
    tf32: 62.5,
    fp16: 125,
    bf16: 125,
    memoryGB: 24,
    bandwidthGBs: 600,
    source: {
      name: 'NVIDIA A10 Tensor Core GPU data sheet',
      url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a10/pdf/a10-datasheet.pdf',
    },
  },
  {
    name: 'RTX 3090',
    aliases: ['RTX 3090', 'GeForce RTX 3090'],
    class: 'consumer',
    boardW: 350,
    fp32: 35.6,
    tf32: 35.6,
    fp16: 71,
    bf16: 71,
    memoryGB: 24,
    bandwidthGBs: 936,
    source: GA102_PAPER,
  },
  {
    name: 'RTX 3080',
    aliases: ['RTX 3080', 'GeForce RTX 3080'],
    class: 'consumer',
    boardW: 320,
    fp32: 29.8,
    tf32: 29.8,
    fp16: 59.5,
    bf16: 59.5,
    memoryGB: 10,
    bandwidthGBs: 760,
    source: GA102_PAPER,
  },
  {
    name: 'RTX 4090',
    aliases: ['RTX 4090', 'GeForce RTX 4090'],
    class: 'consumer',
    boardW: 450,
    fp32: 82.6,
    tf32: 82.6,
    fp16: 165.2,
    bf16: 165.2,
    memoryGB: 24,
    bandwidthGBs: 1008,
    source: ADA_PAPER,
  },
  {
    name: 'RTX 5090',
    aliases: ['RTX 5090', 'GeForce RTX 5090'],
    class: 'consumer',
    boardW: 575,
    fp32: 104.8,
    memoryGB: 32,
    bandwidthGBs: 1792,
    source: {
      name: 'NVIDIA GeForce RTX 5090 specifications',
      url: 'https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5090/',
    },
  },
];

/** Lower case without vendor words, spaces, dashes and a trailing "gb" spelled apart: "NVIDIA A100-SXM4 80 GB" → "a100sxm480gb". */
export function normalizeGpuName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\b(nvidia|geforce|tesla)\b/g, '')
    .replace(/[\s_-]+/g, '');
}

// Sixteen rows: building the name index when the module loads costs nothing worth deferring.
const INDEX: ReadonlyMap<string, GpuSpec> = new Map(
  GPU_SPECS.flatMap((g) => [g.name, ...g.aliases].map((n) => [normalizeGpuName(n), g] as const)),
);

/** Finds a GPU of the table by its name or an alias; undefined when none matches exactly after normalisation. */
export function lookupGpuSpec(name: string): GpuSpec | undefined {
  return INDEX.get(normalizeGpuName(name));
}

/**
 * Dense peak TFLOPS at a precision: tf32 falls back to fp32 on GPUs without TF32 (frameworks then run
 * fp32), and amp/bf16 are undefined where the cited document gives no tensor figure, because a peak
 * that is not known cannot bound anything.
 */
export function densePeakTflops(
  g: Pick<GpuSpec, 'fp32' | 'tf32' | 'fp16' | 'bf16'>,
  precision: TrainingPrecision,
): number | undefined {
  switch (precision) {
    case 'fp32':
      return g.fp32;
    case 'tf32':
      return g.tf32 ?? g.fp32;
    case 'amp':
      return g.fp16;
    case 'bf16':
      return g.bf16;
  }
}
