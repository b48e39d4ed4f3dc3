-- Honest evaluation (issue 9): each scored run records its evaluator's held-out accuracy and the
-- real-data floor at its N. Density and coverage are ordinary Metric rows.
ALTER TABLE "Run" ADD COLUMN "evaluatorAccuracy" DOUBLE PRECISION,
ADD COLUMN "evaluatorAttainable" DOUBLE PRECISION,
ADD COLUMN "floor" JSONB;
