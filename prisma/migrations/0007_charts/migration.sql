-- The evaluator's verdict (accuracy, attainable accuracy, real-data floor) per run AND evaluator,
-- like the metrics, so a re-scoring with another evaluator shows its own (issue 12). The verdicts
-- stored on Run so far are its own evaluator's: they move here under that evaluator's hash.
CREATE TABLE "RunEvaluation" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "evaluatorHash" TEXT NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "attainable" DOUBLE PRECISION NOT NULL,
    "floor" JSONB NOT NULL,

    CONSTRAINT "RunEvaluation_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "RunEvaluation_runId_evaluatorHash_key" ON "RunEvaluation"("runId", "evaluatorHash");

ALTER TABLE "RunEvaluation" ADD CONSTRAINT "RunEvaluation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "RunEvaluation" ("id", "runId", "evaluatorHash", "accuracy", "attainable", "floor")
SELECT gen_random_uuid()::text, r."id", m."weightsHash", r."evaluatorAccuracy", COALESCE(r."evaluatorAttainable", 1), r."floor"
FROM "Run" r JOIN "Model" m ON m."id" = r."evaluatorModelId"
WHERE r."evaluatorAccuracy" IS NOT NULL AND r."floor" IS NOT NULL AND m."weightsHash" IS NOT NULL;

ALTER TABLE "Run" DROP COLUMN "evaluatorAccuracy",
DROP COLUMN "evaluatorAttainable",
DROP COLUMN "floor";
