/**
 * The writes that store one evaluator's scores of a run: a metric row per score, the per-sample
 * predictions and the evaluator's verdict with the real-data floor, keyed by run × evaluator hash so
 * re-scoring with another evaluator adds beside them.
 * Shared by sampling (sampleAndScore) and re-scoring (rescore); the caller puts them in its transaction.
 */
import { packPredictions, type PrismaClient } from '@guidance-lab/db';
import type { Scores } from '../engine/pipeline';

export function scoreWrites(prisma: PrismaClient, runId: string, scores: Omit<Scores, 'backend'>) {
  const { metrics: m, n, evaluatorHash, referenceSet } = scores;
  const rows: { name: string; value: number; std: number | null }[] = [
    { name: 'fid', value: m.fid, std: null },
    { name: 'is', value: m.is, std: m.isStd },
    { name: 'kid', value: m.kid, std: null },
    { name: 'precision', value: m.precision, std: null },
    { name: 'recall', value: m.recall, std: null },
    { name: 'density', value: m.density, std: null },
    { name: 'coverage', value: m.coverage, std: null },
    { name: 'adherence', value: m.adherence, std: null },
  ];
  const predictions = packPredictions(scores.predictions);
  const { evaluation } = scores;
  const verdict = { accuracy: evaluation.accuracy, attainable: evaluation.attainable, floor: { n: evaluation.floorN, metrics: { ...evaluation.floor } } };
  return [
    ...rows.map((s) => {
      const row = { value: s.value, std: s.std, n, referenceSet };
      return prisma.metric.upsert({
        where: { runId_evaluatorHash_name: { runId, evaluatorHash, name: s.name } },
        create: { runId, name: s.name, evaluatorHash, ...row },
        update: row,
      });
    }),
    prisma.samplePredictions.upsert({ where: { runId_evaluatorHash: { runId, evaluatorHash } }, create: { runId, evaluatorHash, ...predictions }, update: predictions }),
    prisma.runEvaluation.upsert({ where: { runId_evaluatorHash: { runId, evaluatorHash } }, create: { runId, evaluatorHash, ...verdict }, update: verdict }),
  ];
}
