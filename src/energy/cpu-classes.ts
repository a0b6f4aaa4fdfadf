/**
 * Watts per logical core for a CPU that the CodeCarbon table does not list, by vendor and class. The
 * per-core figures are the CodeCarbon table's TDP of reference CPUs divided by their logical core
 * count (the vendors' specifications), so the fallback stays tied to the same table as the known CPUs;
 * the spread of the references within a class is the band.
 */
import type { HardwareMatch } from './hardware';

/** The table lookup, passed in so that this module and hardware.ts do not import each other. */
export type CpuLookup = (name: string, kind: 'cpu') => HardwareMatch | undefined;

export type CpuVendor = 'amd' | 'intel' | 'other';
export type CpuClass = 'server' | 'desktop' | 'laptop';

/** Reference CPUs: name as in the CodeCarbon table, vendor, class, logical cores (vendor specification). */
export const CPU_REFERENCES: readonly { name: string; vendor: CpuVendor; cls: CpuClass; threads: number }[] = [
  { name: 'AMD EPYC 7763', vendor: 'amd', cls: 'server', threads: 128 },
  { name: 'AMD EPYC 9654', vendor: 'amd', cls: 'server', threads: 192 },
  { name: 'AMD EPYC 7742', vendor: 'amd', cls: 'server', threads: 128 },
  { name: 'AMD EPYC 7543', vendor: 'amd', cls: 'server', threads: 64 },
  { name: 'AMD EPYC 7R13', vendor: 'amd', cls: 'server', threads: 96 },
  { name: 'Intel Xeon Platinum 8375C', vendor: 'intel', cls: 'server', threads: 64 },
  { name: 'Intel Xeon Platinum 8380', vendor: 'intel', cls: 'server', threads: 80 },
  { name: 'Intel Xeon Platinum 8480+', vendor: 'intel', cls: 'server', threads: 112 },
  { name: 'Intel Xeon Gold 6248', vendor: 'intel', cls: 'server', threads: 40 },
  { name: 'Intel Xeon Gold 6154', vendor: 'intel', cls: 'server', threads: 36 },
  { name: 'Intel Xeon E5-2686 v4', vendor: 'intel', cls: 'server', threads: 36 },
  { name: 'Intel Xeon Platinum 8259CL', vendor: 'intel', cls: 'server', threads: 48 },
  { name: 'AMD Ryzen 9 7950X', vendor: 'amd', cls: 'desktop', threads: 32 },
  { name: 'AMD Ryzen 7 5800X', vendor: 'amd', cls: 'desktop', threads: 16 },
  { name: 'AMD Ryzen 5 5600X', vendor: 'amd', cls: 'desktop', threads: 12 },
  { name: 'Intel Core i9-13900K', vendor: 'intel', cls: 'desktop', threads: 32 },
  { name: 'Intel Core i7-12700K', vendor: 'intel', cls: 'desktop', threads: 20 },
  { name: 'Intel Core i9-9900K', vendor: 'intel', cls: 'desktop', threads: 16 },
  { name: 'AMD Ryzen 7 5800H', vendor: 'amd', cls: 'laptop', threads: 16 },
  { name: 'AMD Ryzen 9 7940HS', vendor: 'amd', cls: 'laptop', threads: 16 },
  { name: 'Intel Core i7-12700H', vendor: 'intel', cls: 'laptop', threads: 20 },
  { name: 'Intel Core i7-1165G7', vendor: 'intel', cls: 'laptop', threads: 8 },
  { name: 'Intel Core i5-1135G7', vendor: 'intel', cls: 'laptop', threads: 8 },
  { name: 'Intel Core i7-8550U', vendor: 'intel', cls: 'laptop', threads: 8 },
];

/** Vendor and class of a CPU name: Xeon/EPYC are servers, mobile suffixes (U, H, HS, HX, G7) laptops. */
export function classifyCpu(name: string): { vendor: CpuVendor; cls: CpuClass } {
  const n = name.toLowerCase();
  const vendor: CpuVendor = /intel|xeon|core\s*(i\d|ultra)|pentium|celeron/.test(n)
    ? 'intel'
    : /amd|ryzen|epyc|threadripper/.test(n)
      ? 'amd'
      : 'other';
  if (/xeon|epyc|threadripper\s*pro|graviton|neoverse|ampere/.test(n)) return { vendor, cls: 'server' };
  if (/\b(i\d-)?\d{4,5}(u|h|hs|hx|hk|g\d|p)\b|\bm\d\b|mobile|laptop/.test(n)) return { vendor, cls: 'laptop' };
  return { vendor, cls: 'desktop' };
}

/** Per-logical-core power of a vendor and class: median of the references, band = their min and max. */
export function wattsPerCore(
  vendor: CpuVendor,
  cls: CpuClass,
  lookupHardware: CpuLookup,
): { value: number; low: number; high: number; references: string[] } {
  const pick = CPU_REFERENCES.filter((r) => r.cls === cls && (vendor === 'other' || r.vendor === vendor));
  const rows = pick.flatMap((r) => {
    const m = lookupHardware(r.name, 'cpu');
    return m && m.match === 'exact' ? [{ name: r.name, w: m.spec.tdpW / r.threads }] : [];
  });
  const ws = rows.map((r) => r.w).sort((a, b) => a - b);
  const mid = ws.length % 2 ? ws[(ws.length - 1) / 2]! : (ws[ws.length / 2 - 1]! + ws[ws.length / 2]!) / 2;
  return { value: mid, low: ws[0]!, high: ws[ws.length - 1]!, references: rows.map((r) => r.name) };
}
