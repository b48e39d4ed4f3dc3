/**
 * One fixed colour per guidance method, shared by the dashboard and the CLI figures, so a method
 * keeps its colour across sweeps, pages and figures (issue 12). Okabe–Ito: distinguishable with the
 * common colour-vision deficiencies; the unguided baseline is grey.
 */
import { METHOD_IDS, type MethodId } from './methods';

const METHOD_COLORS: Record<MethodId, string> = {
  none: '#666666',
  'classifier-free': '#0072B2',
  classifier: '#D55E00',
  autoguidance: '#009E73',
  'cfg-pp': '#CC79A7',
  apg: '#E69F00',
  'cfg-zero-star': '#56B4E9',
  icg: '#000000',
};

/** Variants of one method (p_uncond, parameters, sweeps) keep its colour and differ by dash pattern, in this order. */
export const VARIANT_DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4'] as const;

/** The method's colour; an unknown id (a newer method in stored data) gets a neutral dark grey. */
export function methodColor(method: string): string {
  return (METHOD_IDS as readonly string[]).includes(method) ? METHOD_COLORS[method as MethodId] : '#333333';
}
