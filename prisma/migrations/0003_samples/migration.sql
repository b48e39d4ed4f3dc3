-- Metrics are kept per evaluator: a run re-scored with another evaluator keeps both sets.
-- DropIndex
DROP INDEX "Metric_runId_name_key";

-- CreateIndex
CREATE UNIQUE INDEX "Metric_runId_evaluatorHash_name_key" ON "Metric"("runId", "evaluatorHash", "name");

-- CreateTable
CREATE TABLE "RunSamples" (
    "runId" TEXT NOT NULL,
    "shape" JSONB NOT NULL,
    "dtype" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "x" BYTEA NOT NULL,
    "y" BYTEA NOT NULL,
    "rawBytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunSamples_pkey" PRIMARY KEY ("runId")
);

-- CreateTable
CREATE TABLE "SamplePredictions" (
    "runId" TEXT NOT NULL,
    "evaluatorHash" TEXT NOT NULL,
    "predicted" BYTEA NOT NULL,
    "confidence" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SamplePredictions_pkey" PRIMARY KEY ("runId","evaluatorHash")
);

-- CreateTable
CREATE TABLE "Rescore" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "evaluatorModelId" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "workerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Rescore_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Rescore_evaluatorModelId_idx" ON "Rescore"("evaluatorModelId");

-- CreateIndex
CREATE INDEX "Rescore_status_idx" ON "Rescore"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Rescore_runId_evaluatorModelId_key" ON "Rescore"("runId", "evaluatorModelId");

-- AddForeignKey
ALTER TABLE "RunSamples" ADD CONSTRAINT "RunSamples_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SamplePredictions" ADD CONSTRAINT "SamplePredictions_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rescore" ADD CONSTRAINT "Rescore_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rescore" ADD CONSTRAINT "Rescore_evaluatorModelId_fkey" FOREIGN KEY ("evaluatorModelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;
