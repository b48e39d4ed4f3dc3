/**
 * Time left for a training job, from its pace since it started: (elapsed / steps done) × steps left.
 * Null when it is not running or has no pace yet (no step done). A job resumed from a checkpoint
 * counts the steps before the checkpoint as done in this attempt, so its first estimates run short.
 */
export function trainingEta(job: { status: string; step: number; totalSteps: number; startedAt: string | null }, now: number): number | null {
  if (job.status !== 'running' || !job.startedAt || job.step <= 0 || job.step >= job.totalSteps) return null;
  const elapsed = now - Date.parse(job.startedAt);
  if (!(elapsed > 0)) return null;
  return (elapsed / job.step) * (job.totalSteps - job.step);
}
