-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "ModelKind" AS ENUM ('eps', 'noisy_classifier', 'evaluator');

-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "preset" TEXT,
    "spec" JSONB NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Model" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "ModelKind" NOT NULL,
    "config" JSONB NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "step" INTEGER NOT NULL DEFAULT 0,
    "totalSteps" INTEGER NOT NULL DEFAULT 0,
    "checkpoint" BYTEA,
    "checkpointStep" INTEGER NOT NULL DEFAULT 0,
    "weightsHash" TEXT,
    "curve" JSONB NOT NULL DEFAULT '[]',
    "backend" TEXT,
    "workerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SweepModel" (
    "sweepId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,

    CONSTRAINT "SweepModel_pkey" PRIMARY KEY ("sweepId","modelId")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "sweepId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "guidance" TEXT NOT NULL,
    "pUncond" DOUBLE PRECISION NOT NULL,
    "scale" DOUBLE PRECISION NOT NULL,
    "seed" INTEGER NOT NULL,
    "sampler" TEXT NOT NULL,
    "steps" INTEGER NOT NULL,
    "eta" DOUBLE PRECISION NOT NULL,
    "samplesPerClass" INTEGER NOT NULL,
    "epsModelId" TEXT NOT NULL,
    "classifierModelId" TEXT,
    "evaluatorModelId" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "phase" TEXT NOT NULL DEFAULT 'waiting',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "n" INTEGER,
    "backend" TEXT,
    "workerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Metric" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "std" DOUBLE PRECISION,
    "n" INTEGER NOT NULL,
    "evaluatorHash" TEXT NOT NULL,
    "referenceSet" TEXT NOT NULL,

    CONSTRAINT "Metric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SampleGrid" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "png" BYTEA NOT NULL,
    "rows" INTEGER NOT NULL,
    "cols" INTEGER NOT NULL,
    "cellSize" INTEGER NOT NULL,
    "classNames" JSONB NOT NULL,

    CONSTRAINT "SampleGrid_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "backend" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastHeartbeat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "currentJob" TEXT,

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Sweep_status_createdAt_idx" ON "Sweep"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Model_key_key" ON "Model"("key");

-- CreateIndex
CREATE INDEX "SweepModel_modelId_idx" ON "SweepModel"("modelId");

-- CreateIndex
CREATE INDEX "Run_status_idx" ON "Run"("status");

-- CreateIndex
CREATE INDEX "Run_epsModelId_idx" ON "Run"("epsModelId");

-- CreateIndex
CREATE INDEX "Run_classifierModelId_idx" ON "Run"("classifierModelId");

-- CreateIndex
CREATE INDEX "Run_evaluatorModelId_idx" ON "Run"("evaluatorModelId");

-- CreateIndex
CREATE UNIQUE INDEX "Run_sweepId_key_key" ON "Run"("sweepId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Metric_runId_name_key" ON "Metric"("runId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "SampleGrid_runId_key" ON "SampleGrid"("runId");

-- AddForeignKey
ALTER TABLE "SweepModel" ADD CONSTRAINT "SweepModel_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SweepModel" ADD CONSTRAINT "SweepModel_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_epsModelId_fkey" FOREIGN KEY ("epsModelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_classifierModelId_fkey" FOREIGN KEY ("classifierModelId") REFERENCES "Model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_evaluatorModelId_fkey" FOREIGN KEY ("evaluatorModelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Metric" ADD CONSTRAINT "Metric_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SampleGrid" ADD CONSTRAINT "SampleGrid_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
