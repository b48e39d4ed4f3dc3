/** Metric rows → the named scores of the results.json contract. */
export interface MetricRow {
  name: string;
  value: number;
  std: number | null;
}

export interface Scores {
  fid: number | null;
  is: number | null;
  isStd: number | null;
  kid: number | null;
  kidStd: number | null;
  precision: number | null;
  recall: number | null;
  adherence: number | null;
}

export const SCORE_NAMES = ['fid', 'is', 'isStd', 'kid', 'kidStd', 'precision', 'recall', 'adherence'] as const satisfies readonly (keyof Scores)[];

export function scoresOf(rows: MetricRow[]): Scores {
  const row = (name: string) => rows.find((m) => m.name === name);
  return {
    fid: row('fid')?.value ?? null,
    is: row('is')?.value ?? null,
    isStd: row('is')?.std ?? null,
    kid: row('kid')?.value ?? null,
    kidStd: row('kid')?.std ?? null,
    precision: row('precision')?.value ?? null,
    recall: row('recall')?.value ?? null,
    adherence: row('adherence')?.value ?? null,
  };
}

/** The rows of one evaluator: the one asked for, else the run's own (the evaluator it was sampled with). */
export function underEvaluator<M extends { evaluatorHash: string }>(rows: M[], own: string | null | undefined, asked?: string | null): M[] {
  const hash = asked ?? own;
  return rows.filter((m) => m.evaluatorHash === hash);
}
