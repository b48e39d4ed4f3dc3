/**
 * rescoreSweep: score every stored sample set of a sweep again, with the spec's evaluator or with
 * another one described by changes to it. The evaluator is a content-addressed model like any
 * other: reused when trained, else trained first; one re-scoring job per run follows it.
 */
import { ACTIVE, removeJobs, rescoreJobKey, scheduleReadyWork, trainJobKey, type Sweep } from '@guidance-lab/db';
import { ClassifierSpec, contentHash, evaluatorConfig, mergeOverrides, parseSpec } from '@guidance-lab/experiments';
import type { ApiContext } from './context';
import { badInput } from './errors';
import { upsertModel } from './launch';
import { findSweep } from './sweepActions';

const EVALUATOR_FIELDS = Object.keys(ClassifierSpec.shape).join(', ');

export async function rescoreSweep(ctx: ApiContext, id: string, evaluator: unknown): Promise<Sweep> {
  const sweep = await findSweep(ctx, id);
  if (evaluator != null && (typeof evaluator !== 'object' || Array.isArray(evaluator))) {
    throw badInput('evaluator', `must be a JSON object of evaluator fields to change (${EVALUATOR_FIELDS}), or null for the sweep's own evaluator`);
  }
  const spec = parseSpec(sweep.spec);
  const parsed = ClassifierSpec.safeParse(mergeOverrides(spec.evaluator, evaluator ?? {}));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['evaluator', ...issue.path].join('.');
    throw badInput(field, issue.code === 'unrecognized_keys' ? `has unknown field(s): ${issue.keys.join(', ')} (allowed: ${EVALUATOR_FIELDS})` : issue.message);
  }
  const runs = await ctx.prisma.run.findMany({ where: { sweepId: id, samples: { isNot: null } }, select: { id: true } });
  if (!runs.length) throw badInput('id', `names a sweep with no stored samples yet (${id}): re-scoring needs finished runs`);

  const config = evaluatorConfig(spec.dataset, parsed.data);
  const { model, requeued } = await ctx.prisma.$transaction(async (tx) => {
    const model = await upsertModel(tx, contentHash(config), config);
    await tx.sweepModel.upsert({ where: { sweepId_modelId: { sweepId: id, modelId: model.id } }, create: { sweepId: id, modelId: model.id }, update: {} });
    // A re-scoring already waiting or running stays as it is; a finished or failed one runs again.
    const existing = await tx.rescore.findMany({ where: { evaluatorModelId: model.id, runId: { in: runs.map((r) => r.id) } }, select: { id: true, runId: true, status: true } });
    const again = existing.filter((r) => !ACTIVE.includes(r.status));
    await tx.rescore.updateMany({ where: { id: { in: again.map((r) => r.id) } }, data: { status: 'queued', error: null, finishedAt: null } });
    const have = new Set(existing.map((r) => r.runId));
    await tx.rescore.createMany({ data: runs.filter((r) => !have.has(r.id)).map((r) => ({ runId: r.id, evaluatorModelId: model.id })) });
    return { model, requeued: again.map((r) => r.id) };
  });
  // Finished jobs may still hold their keys (failed for good); free them so the new ones are queued.
  await removeJobs(ctx.prisma, [...requeued.map(rescoreJobKey), ...(model.requeued ? [trainJobKey(model.id)] : [])]);
  await scheduleReadyWork(ctx.prisma, ctx.jobs.addJob, id);
  return sweep;
}
