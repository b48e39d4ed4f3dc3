-- Guidance methods as sweep axes (issue 10): every run names its method and parameters; an
-- autoguidance run also names its guide ε-net. Runs from before are their guidance type with defaults.
ALTER TABLE "Run" ADD COLUMN "method" TEXT;
UPDATE "Run" SET "method" = "guidance";
ALTER TABLE "Run" ALTER COLUMN "method" SET NOT NULL;
ALTER TABLE "Run" ADD COLUMN "methodParams" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "Run" ADD COLUMN "guideModelId" TEXT;

CREATE INDEX "Run_guideModelId_idx" ON "Run"("guideModelId");

ALTER TABLE "Run" ADD CONSTRAINT "Run_guideModelId_fkey" FOREIGN KEY ("guideModelId") REFERENCES "Model"("id") ON DELETE SET NULL ON UPDATE CASCADE;
