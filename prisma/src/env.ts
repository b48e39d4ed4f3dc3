/** Whole-number settings from the environment, shared by the platform's processes and scripts. */

/** `name` from the environment: `fallback` when unset or empty, else a whole number from `min` to `max`, or an error naming the range (`what`: "a port", "a whole number of milliseconds"). */
export function envInt(name: string, fallback: number, min: number, max: number, what = 'a whole number'): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be ${what} from ${min} to ${max} (got "${raw}")`);
  return value;
}
