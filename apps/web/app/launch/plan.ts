'use server';
/**
 * The size and rough cost of a sweep before it is launched, from the real grid expansion
 * (experiments/src/grid.ts hashes with node:crypto, so it runs here on the dashboard's server).
 */
import { expandSweep } from '@guidance-lab/experiments/grid';
import { parseSpec, SpecError, type SpecIssue } from '@guidance-lab/experiments/spec';
import { sweepCost, type SweepCost } from '@guidance-lab/experiments/cost';

export type PlanResult = { ok: true; cost: SweepCost } | { ok: false; issues: SpecIssue[] };

export async function planSweep(input: unknown): Promise<PlanResult> {
  try {
    const spec = parseSpec(input);
    return { ok: true, cost: sweepCost(spec, expandSweep(spec)) };
  } catch (error) {
    if (error instanceof SpecError) return { ok: false, issues: error.issues };
    throw error;
  }
}
