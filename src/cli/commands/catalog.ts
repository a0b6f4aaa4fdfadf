/** `greenlens catalog`: list the model catalog with accuracy, compute, reference energy and grade. */
import { parseArgs } from 'node:util';
import { catalogEntries, type CatalogEntry } from '../../catalog/catalog';
import { formatNumber } from '../../energy/quantity';
import { REFERENCE_DEVICE } from '../../catalog/grades';
import { CliUsageError, type CliCommand } from '../io';

const SORTS = ['energy', 'top1', 'gmacs', 'name'] as const;
type SortKey = (typeof SORTS)[number];

function numberFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < min || x > max)
    throw new CliUsageError(`${flag} must be a number from ${min} to ${max}; got "${value}".`);
  return x;
}

const COMPARE: Record<SortKey, (a: CatalogEntry, b: CatalogEntry) => number> = {
  energy: (a, b) => a.energyJ - b.energyJ,
  top1: (a, b) => b.top1 - a.top1,
  gmacs: (a, b) => a.gmacs - b.gmacs,
  name: () => 0,
};

/** Filters and sorts the catalog as the flags ask (ties by id, so the order is stable). */
export function selectCatalog(opts: {
  minTop1?: number;
  maxGmacs?: number;
  sort?: SortKey;
  limit?: number;
  includeTest?: boolean;
}): CatalogEntry[] {
  const cmp = COMPARE[opts.sort ?? 'energy'];
  const rows = catalogEntries()
    .filter(
      (e) =>
        (opts.includeTest || !e.testNetwork) &&
        (opts.minTop1 === undefined || e.top1 >= opts.minTop1) &&
        (opts.maxGmacs === undefined || e.gmacs <= opts.maxGmacs),
    )
    .sort((a, b) => cmp(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return opts.limit === undefined ? rows : rows.slice(0, opts.limit);
}

function catalogRow(e: CatalogEntry): string {
  const energy = `≈ ${formatNumber(e.energyJ * 1000)} (${formatNumber(e.energyLowJ * 1000)}–${formatNumber(e.energyHighJ * 1000)})`;
  const grade = e.testNetwork
    ? '— (test network)'
    : `${e.gradeRange && e.gradeRange[0] !== e.gradeRange[1] ? e.gradeRange.join('–') : e.grade}${e.gradeOn ? '*' : ''}`;
  return `${e.name.slice(0, 52).padEnd(52)} ${String(e.imgSize).padStart(4)} ${e.top1.toFixed(2).padStart(6)} ${formatNumber(e.gmacs).padStart(7)} ${energy.padStart(24)} ${grade}`;
}

export const catalogCommand: CliCommand = {
  summary: 'list the model catalog with accuracy, compute and grade',
  usage:
    'greenlens catalog [--min-top1 80] [--max-gmacs 5] [--sort energy|top1|gmacs|name] [--json] [--limit N] [--all]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        'min-top1': { type: 'string' },
        'max-gmacs': { type: 'string' },
        sort: { type: 'string' },
        json: { type: 'boolean' },
        limit: { type: 'string' },
        all: { type: 'boolean' },
      },
    });
    const sort = (values.sort ?? 'energy') as SortKey;
    if (!SORTS.includes(sort))
      throw new CliUsageError(`--sort must be one of ${SORTS.join(', ')}; got "${values.sort}".`);
    const rows = selectCatalog({
      minTop1: numberFlag(values['min-top1'], '--min-top1', 0, 100),
      maxGmacs: numberFlag(values['max-gmacs'], '--max-gmacs', 0, 1e6),
      limit: numberFlag(values.limit, '--limit', 0, 1e6),
      sort,
      includeTest: values.all === true,
    });
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            count: rows.length,
            referenceDevice: `${REFERENCE_DEVICE} (350 W), energy per inference in J with its band (energyLowJ–energyHighJ), estimated`,
            models: rows,
          },
          null,
          1,
        ),
      );
      return 0;
    }
    io.out(
      `${'model'.padEnd(52)} ${'px'.padStart(4)} ${'top-1'.padStart(6)} ${'GMACs'.padStart(7)} ${'≈ mJ/inf (band)'.padStart(24)} grade (${REFERENCE_DEVICE})`,
    );
    for (const e of rows) io.out(catalogRow(e));
    io.out(
      `\n${rows.length} models${values.all ? '' : ' (test networks left out; --all lists them)'}. Energy per inference on an ${REFERENCE_DEVICE} at 350 W, estimated: measured timm throughput × board power (band: half to full board power), else the MACs calibration (band: its 5–95 % residuals). A grade is relative to the accuracy–energy frontier on that device; a range "B–C" means the band straddles a boundary; "*" means another benchmark device gives another letter (--json: gradeOn). docs/grades.md.`,
    );
    return 0;
  },
};
