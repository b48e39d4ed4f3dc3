/**
 * Migration 0007_charts moves each run's evaluator verdict and floor from Run into RunEvaluation,
 * under the hash of the evaluator that produced them: a database scored before it keeps them.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from './index';
import { startTestDatabase, type TestDatabase } from './testing';

let db: TestDatabase;
let sql: pg.Client;
let url: string;
const before = mkdtempSync(join(tmpdir(), 'migrations-before-0007-'));

beforeAll(async () => {
  db = await startTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await sql.query('CREATE DATABASE before_charts');
  url = db.url.replace(/\/guidance_lab$/, '/before_charts');
  for (const d of readdirSync(MIGRATIONS_DIR, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name < '0007') cpSync(join(MIGRATIONS_DIR, d.name), join(before, d.name), { recursive: true });
  }
});
afterAll(async () => {
  await sql?.end();
  await db?.stop();
  rmSync(before, { recursive: true, force: true });
});

it("keeps a run's stored verdict and floor, under its own evaluator's hash", async () => {
  await migrate(url, before);
  const old = new pg.Client({ connectionString: url });
  await old.connect();
  try {
    await old.query(`INSERT INTO "Sweep" (id, name, spec) VALUES ('s1', 'n', '{}')`);
    await old.query(`INSERT INTO "Model" (id, key, kind, config, "weightsHash") VALUES ('ev', 'k-ev', 'evaluator', '{}', 'evhash'), ('ev2', 'k-ev2', 'evaluator', '{}', NULL)`);
    const run = (id: string, key: string, evaluator: string, verdict: string) =>
      old.query(`INSERT INTO "Run" (id, "sweepId", key, guidance, method, "pUncond", scale, seed, sampler, steps, eta, "samplesPerClass", "epsModelId", "evaluatorModelId", ${verdict ? '"evaluatorAccuracy", "evaluatorAttainable", floor' : 'n'})
        VALUES ('${id}', 's1', '${key}', 'none', 'none', 0.1, 1, 0, 'ddim', 10, 0, 10, 'ev', '${evaluator}', ${verdict || 'NULL'})`);
    await run('r1', 'a', 'ev', `0.97, 0.99, '{"n": 40, "metrics": {"fid": 0.5}}'`);
    await run('r2', 'b', 'ev', ''); // not scored yet
    await run('r3', 'c', 'ev2', `0.9, NULL, '{"n": 40, "metrics": {"fid": 0.7}}'`); // evaluator without a hash: nothing to key it by
  } finally {
    await old.end();
  }
  expect(await migrate(url)).toEqual(['0007_charts']);
  const after = new pg.Client({ connectionString: url });
  await after.connect();
  try {
    const { rows } = await after.query(`SELECT "runId", "evaluatorHash", accuracy, attainable, floor FROM "RunEvaluation" ORDER BY "runId"`);
    expect(rows).toEqual([{ runId: 'r1', evaluatorHash: 'evhash', accuracy: 0.97, attainable: 0.99, floor: { n: 40, metrics: { fid: 0.5 } } }]);
    const { rows: columns } = await after.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Run' AND column_name IN ('evaluatorAccuracy', 'evaluatorAttainable', 'floor')`);
    expect(columns).toEqual([]);
  } finally {
    await after.end();
  }
});
