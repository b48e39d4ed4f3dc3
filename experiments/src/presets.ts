/**
 * Preset experiments: JSON files in experiments/presets, each a sweep spec plus a `quick` block of
 * overrides that sizes it for a 2-core CPU. A preset file is also what `npm run sweep` takes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeOverrides } from './merge';
import { parseSpec, SpecError, type SweepSpecInput } from './spec';

export const PRESETS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'presets');

export interface Preset {
  name: string;
  description: string;
  /** True for the variant sized for a 2-core CPU. */
  quick: boolean;
  spec: SweepSpecInput;
}

/** Reads a spec or preset file; with `quick`, applies its quick overrides. */
export function loadSpecFile(path: string, options: { quick?: boolean } = {}): SweepSpecInput {
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
  const { quick, ...spec } = raw as Record<string, unknown>;
  if (options.quick && quick === undefined) {
    throw new SpecError([{ field: 'quick', message: `${path} has no quick variant` }]);
  }
  return (options.quick ? mergeOverrides(spec, quick) : spec) as SweepSpecInput;
}

function presetFromFile(path: string, quick: boolean): Preset {
  const spec = loadSpecFile(path, { quick });
  parseSpec(spec); // a broken preset must fail loudly, not at launch time
  return { name: basename(path, '.json'), description: spec.description ?? '', quick, spec };
}

/** Every preset, each in its full and its quick variant. */
export function listPresets(): Preset[] {
  return readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => [presetFromFile(join(PRESETS_DIR, f), false), presetFromFile(join(PRESETS_DIR, f), true)]);
}

export function getPreset(name: string, quick = false): Preset | undefined {
  return listPresets().find((p) => p.name === name && p.quick === quick);
}
