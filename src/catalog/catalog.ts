/**
 * The model catalog (src/catalog/data/catalog.json, generated) and `lookupModel`, which maps the names
 * people write in code to entries: torchvision builders (`resnet50`, `mobilenet_v3_small`, `vit_b_16`),
 * timm names with or without a pretrained tag (`resnet50.a1_in1k`, `resnet50`), and Hugging Face ids
 * (`google/vit-base-patch16-224`, `microsoft/resnet-50`, `facebook/convnext-tiny-224`, `timm/...`).
 */
import { readDataFile } from '../dataFiles';
import type { CatalogEntry } from './build';

export type { CatalogEntry } from './build';

interface Index {
  entries: CatalogEntry[];
  byName: Map<string, CatalogEntry[]>;
  byArch: Map<string, CatalogEntry[]>;
}
let index: Index | undefined;

/**
 * Loads the catalog and its name indexes on first use: evaluating 1,600 entries at import time would
 * cost the editor's activation tens of milliseconds.
 */
function catalog(): Index {
  if (index) return index;
  const entries = readDataFile<CatalogEntry[]>(__dirname, 'catalog.json');
  const byName = new Map<string, CatalogEntry[]>();
  const byArch = new Map<string, CatalogEntry[]>();
  for (const e of entries) {
    byName.set(e.name.toLowerCase(), [...(byName.get(e.name.toLowerCase()) ?? []), e]);
    if (e.source === 'timm') byArch.set(e.arch, [...(byArch.get(e.arch) ?? []), e]);
  }
  index = { entries, byName, byArch };
  return index;
}

/** Every catalog entry, sorted by id. */
export function catalogEntries(): readonly CatalogEntry[] {
  return catalog().entries;
}

/** A lookup result: the entry and how the name was resolved. */
export interface ModelMatch {
  entry: CatalogEntry;
  /** Which rule matched: exact name, timm default tag, torchvision builder, Hugging Face id. */
  via: 'exact' | 'timm-default' | 'torchvision' | 'huggingface';
  /** Said to the user when the entry only approximates the named model. */
  note?: string;
}

/** The entry of a name at its native (smallest listed) image size. */
function native(list: readonly CatalogEntry[] | undefined): CatalogEntry | undefined {
  return list?.reduce<CatalogEntry | undefined>((a, b) => (!a || b.imgSize < a.imgSize ? b : a), undefined);
}

/**
 * A bare timm architecture resolves to its most accurate tag at native size; timm's own default tag is
 * usually that one, and the note says which weights were assumed.
 */
function timmDefault(arch: string): ModelMatch | undefined {
  const list = catalog().byArch.get(arch);
  if (!list) return undefined;
  const names = [...new Set(list.map((e) => e.name))];
  const best = names
    .map((n) => native(catalog().byName.get(n.toLowerCase()))!)
    .sort((a, b) => b.top1 - a.top1 || (a.id < b.id ? -1 : 1))[0]!;
  return {
    entry: best,
    via: 'timm-default',
    note: names.length > 1 ? `"${arch}" has ${names.length} pretrained tags; assuming ${best.name}.` : undefined,
  };
}

function torchvisionBuilder(name: string): ModelMatch | undefined {
  // `resnet50`, `resnet50.IMAGENET1K_V1`, `ResNet50_Weights.IMAGENET1K_V1`, `models.resnet50`.
  const m = /^(?:torchvision\.)?(?:models\.)?([a-z0-9_]+?)(?:_weights)?(?:\.(imagenet1k_[a-z0-9_]+|default))?$/i.exec(
    name,
  );
  if (!m) return undefined;
  const builder = m[1]!.toLowerCase();
  const weights = m[2]?.toUpperCase();
  const all = catalog().entries.filter(
    (e) => e.source === 'torchvision' && e.name.toLowerCase().startsWith(`torchvision:${builder}.`),
  );
  if (all.length === 0) return undefined;
  // torchvision's DEFAULT weights are the newest plain IMAGENET1K_V<n> (V2 where there is one, never SWAG).
  const version = (e: CatalogEntry): number => Number(/\.IMAGENET1K_V(\d+)$/.exec(e.name)?.[1] ?? 0);
  const chosen =
    weights && weights !== 'DEFAULT'
      ? all.find((e) => e.name.endsWith(`.${weights}`))
      : [...all].sort((a, b) => version(b) - version(a))[0];
  return chosen ? { entry: chosen, via: 'torchvision' } : undefined;
}

const HF_RULES: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^google\/vit-(base|large|huge)-patch(\d+)-(\d+)(?:-in21k)?$/,
    (m) => `vit_${m[1]}_patch${m[2]}_${m[3]}.orig_in21k_ft_in1k`,
  ],
  [/^microsoft\/resnet-(18|34|50|101|152)$/, (m) => `resnet${m[1]}.tv_in1k`],
  [
    /^facebook\/convnext-(tiny|small|base|large)-(224|384)-22k-1k$/,
    (m) => `convnext_${m[1]}.fb_in22k_ft_in1k${m[2] === '384' ? '_384' : ''}`,
  ],
  [
    /^facebook\/convnext-(tiny|small|base|large)-(224|384)$/,
    (m) => (m[2] === '384' ? `convnext_${m[1]}.fb_in1k` : `convnext_${m[1]}.fb_in1k`),
  ],
  [
    /^facebook\/deit-(tiny|small|base)-(distilled-)?patch16-224$/,
    (m) => `deit_${m[1]}_${m[2] ? 'distilled_' : ''}patch16_224.fb_in1k`,
  ],
  [/^microsoft\/swin-(tiny|small|base)-patch4-window7-224$/, (m) => `swin_${m[1]}_patch4_window7_224.ms_in1k`],
  [/^google\/efficientnet-(b[0-7])$/, (m) => `tf_efficientnet_${m[1]}.in1k`],
  [/^google\/mobilenet_v2_1\.0_224$/, () => 'mobilenetv2_100.ra_in1k'],
  [
    /^apple\/mobilevit-(small|x-small|xx-small)$/,
    (m) =>
      `mobilevit_${({ small: 's', 'x-small': 'xs', 'xx-small': 'xxs' } as Record<string, string>)[m[1]!]}.cvnets_in1k`,
  ],
];

function huggingFace(id: string): ModelMatch | undefined {
  const lower = id.toLowerCase().replace(/^https?:\/\/huggingface\.co\//, '');
  if (lower.startsWith('timm/')) {
    const hit = lookupTimm(lower.slice(5));
    return hit ? { ...hit, via: 'huggingface' } : undefined;
  }
  for (const [re, to] of HF_RULES) {
    const m = re.exec(lower);
    if (!m) continue;
    const target = to(m);
    const e = native(catalog().byName.get(target)) ?? timmDefault(target.split('.')[0]!)?.entry;
    if (e)
      return {
        entry: e,
        via: 'huggingface',
        note: `Hugging Face "${id}" is approximated by timm ${e.name} (same architecture; weights may differ).`,
      };
  }
  return undefined;
}

function lookupTimm(name: string): ModelMatch | undefined {
  const [arch = '', tag] = name.split('.', 2);
  const exact = native(catalog().byName.get(name));
  if (exact) return { entry: exact, via: 'exact' };
  if (!tag) return timmDefault(arch);
  return undefined;
}

/**
 * Finds the catalog entry for a model name as written in code. `library` disambiguates names that are
 * both a torchvision builder and a timm architecture (`resnet50`); without it torchvision wins, since a
 * bare builder call is the more common spelling. Returns undefined for unknown names.
 */
export function lookupModel(
  name: string,
  options: { library?: 'torchvision' | 'timm' | 'huggingface' } = {},
): ModelMatch | undefined {
  const n = name.trim().replace(/^["']|["']$/g, '');
  if (!n) return undefined;
  const lower = n.toLowerCase();
  const at = /^(.*)@(\d+)$/.exec(lower);
  if (at) {
    const e = catalog().entries.find((x) => x.id.toLowerCase() === lower);
    if (e) return { entry: e, via: 'exact' };
  }
  if (lower.includes('/')) return huggingFace(n);
  if (lower.startsWith('torchvision:'))
    return torchvisionBuilder(lower.slice('torchvision:'.length).replace(/\.imagenet/, '.IMAGENET'));
  if (options.library === 'timm') return lookupTimm(lower);
  if (options.library === 'huggingface') return huggingFace(n);
  return torchvisionBuilder(n) ?? lookupTimm(lower);
}
