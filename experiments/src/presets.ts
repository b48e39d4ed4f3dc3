/**
 * Preset experiments: JSON files in experiments/presets, each a sweep spec (the full size) plus
 * blocks of overrides for smaller sizes: `quick` (minutes on a 2-core CPU) and, for some,
 * `standard` (under an hour on a 2-core CPU). A preset file is also what `npm run sweep` takes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeOverrides } from './merge';
import { parseSpec, SpecError, type SweepSpecInput } from './spec';

export const PRESETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'presets');

/** A preset's sizes: the spec as written, or with its `quick` or `standard` block applied. */
export const PRESET_SIZES = ['full', 'standard', 'quick'] as const;
export type PresetSize = (typeof PRESET_SIZES)[number];

export interface Preset {
  name: string;
  description: string;
  size: PresetSize;
  /** True for the quick size (kept for clients that only know quick and full). */
  quick: boolean;
  spec: SweepSpecInput;
}

/** Reads a spec or preset file; with a `size` other than full (or `quick: true`), applies that block's overrides. */
export function loadSpecFile(path: string, options: { size?: PresetSize; quick?: boolean } = {}): SweepSpecInput {
  const size = options.size ?? (options.quick ? 'quick' : 'full');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // Not the parser's message: it quotes the file's text.
    const why = error instanceof SyntaxError ? 'it is not valid JSON' : `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'read error'})`;
    throw new SpecError([{ field: '(file)', message: `${path} is not a readable JSON file: ${why}` }]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SpecError([{ field: '(file)', message: `${path} must hold a JSON object (a sweep spec)` }]);
  }
  const { quick, standard, ...spec } = raw as Record<string, unknown>;
  if (size === 'full') return spec as SweepSpecInput;
  const overrides = size === 'quick' ? quick : standard;
  if (overrides === undefined) throw new SpecError([{ field: size, message: `${path} has no ${size} variant` }]);
  return mergeOverrides(spec, overrides) as SweepSpecInput;
}

function presetFromFile(path: string, size: PresetSize): Preset {
  const spec = loadSpecFile(path, { size });
  parseSpec(spec); // a broken preset must fail loudly, not at launch time
  return { name: basename(path, '.json'), description: spec.description ?? '', size, quick: size === 'quick', spec };
}

/** Every preset in each size its file has: full, then quick, then standard where there is one. */
export function listPresets(): Preset[] {
  return readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      const path = join(PRESETS_DIR, f);
      const blocks = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      return (['full', 'quick', 'standard'] as const).filter((size) => size === 'full' || blocks[size] !== undefined).map((size) => presetFromFile(path, size));
    });
}

/** A preset at a size; `true`/`false` stand for quick/full (the older signature). */
export function getPreset(name: string, size: PresetSize | boolean = 'full'): Preset | undefined {
  const wanted = size === true ? 'quick' : size === false ? 'full' : size;
  return listPresets().find((p) => p.name === name && p.size === wanted);
}
