/** Whole-number settings from the environment, shared by the platform's processes and scripts. */

/** The setting `name` whose text is `raw`: `fallback` when unset or empty, else a whole number from `min` to `max`, or an error naming the range (`what`: "a port", "a whole number of milliseconds"). */
export function intSetting(name: string, raw: string | undefined, fallback: number, min: number, max: number, what = 'a whole number'): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be ${what} from ${min} to ${max} (got "${raw}")`);
  return value;
}

/** `name` from the environment, read by intSetting. */
export const envInt = (name: string, fallback: number, min: number, max: number, what?: string): number => intSetting(name, process.env[name], fallback, min, max, what);
