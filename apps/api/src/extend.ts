/**
 * extendSweep: more scales, seeds or methods for an existing sweep. The spec grows, the grid is
 * expanded again and admitted like a launch, and only the grid points the sweep lacks become runs;
 * the models it has (by content hash, in this sweep or any other) are reused, not trained again.
 */
import { refreshSweepStatus, type Sweep } from '@guidance-lab/db';
import type { SweepSpec } from '@guidance-lab/experiments';
import type { ApiContext } from './context';
import { badInput } from './errors';
import { admit, queueWork, storePlan } from './launch';
import { findSweep } from './sweepActions';

export interface ExtendInput {
  scales?: number[] | null;
  seeds?: number[] | null;
  /** Method ids or method specs ({ method, ...parameters }), as a spec's `methods` lists them. */
  methods?: unknown;
}

const listed = (xs: readonly number[]) => xs.join(', ');

/** Values the sweep has already: a mistake worth naming rather than a silent no-op. */
function checkNew(field: 'scales' | 'seeds', added: number[], had: readonly number[]): void {
  const repeated = added.filter((x) => had.includes(x));
  if (repeated.length) throw badInput(field, `already lists ${listed(repeated)} (the sweep has ${listed(had)}); give only values to add`);
}

function methodList(methods: unknown): object[] {
  if (methods == null) return [];
  const bad = () => badInput('methods', 'must be a JSON list of method ids or method specs, e.g. ["icg"] or [{ "method": "apg", "eta": 0.5 }]');
  if (!Array.isArray(methods)) throw bad();
  return methods.map((m) => {
    if (typeof m === 'string') return { method: m };
    if (typeof m === 'object' && m !== null && !Array.isArray(m)) return m;
    throw bad();
  });
}

export async function extendSweep(ctx: ApiContext, id: string, input: ExtendInput): Promise<Sweep> {
  const sweep = await findSweep(ctx, id);
  if (sweep.status === 'cancelled') throw badInput('id', `names a cancelled sweep (${id}); resume it with resumeSweep before extending it`);
  const scales = input.scales ?? [];
  const seeds = input.seeds ?? [];
  const methods = methodList(input.methods);
  if (!scales.length && !seeds.length && !methods.length) throw badInput('(grid)', 'gains nothing: give scales, seeds or methods to add');
  const old = sweep.spec as SweepSpec;
  checkNew('scales', scales, old.scales);
  checkNew('seeds', seeds, old.seeds);

  // The stored spec is validated and complete; its `methods` already hold what `guidance` listed.
  const { guidance: _folded, ...rest } = old as SweepSpec & { guidance?: unknown };
  const grown = { ...rest, scales: [...old.scales, ...scales], seeds: [...old.seeds, ...seeds], methods: [...old.methods, ...methods] };
  const { spec, plan } = admit(ctx, grown, '(extended spec)');

  const existing = new Set((await ctx.prisma.run.findMany({ where: { sweepId: id }, select: { key: true } })).map((r) => r.key));
  const added = plan.runs.filter((r) => !existing.has(r.key)).length;
  if (!added) throw badInput('methods', 'adds no grid point: every method given is already in the sweep');

  const requeued = await ctx.prisma.$transaction(
    async (tx) => {
      await tx.sweep.update({ where: { id }, data: { spec } });
      return storePlan(tx, id, plan, existing);
    },
    { timeout: 60_000 },
  );
  await refreshSweepStatus(ctx.prisma, id); // an ended sweep with new queued runs is running again
  await queueWork(ctx, id, requeued);
  return findSweep(ctx, id);
}
