/**
 * Proves the hand-written migrations build exactly the schema the generated client expects (the
 * client's embedded schema and runtime data model versus PostgreSQL's catalog), that migrate() is
 * idempotent and safe under concurrency, and that every model round-trips through the client.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, migrate, MIGRATIONS_DIR, type PrismaClient } from './index';
import { startTestDatabase, type TestDatabase } from './testing';

interface FieldMeta {
  name: string;
  type: string;
  kind: 'scalar' | 'enum' | 'object';
  optional: boolean;
  attrs: string;
}
interface ModelMeta {
  fields: FieldMeta[];
  blockAttrs: string[];
}

/** What the generated client was built from: its embedded schema, cross-checked with its runtime data model. */
function clientMetadata(prisma: PrismaClient) {
  const internals = prisma as unknown as {
    _engineConfig: { inlineSchema: string };
    _runtimeDataModel: { models: Record<string, { fields: { name: string; kind: FieldMeta['kind']; type: string }[] }> };
  };
  const text = internals._engineConfig.inlineSchema.replace(/\/\/.*$/gm, '');
  const enums: Record<string, string[]> = {};
  for (const [, name, body] of text.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g)) enums[name] = body.split(/\s+/).filter(Boolean);
  const models: Record<string, ModelMeta> = {};
  // A model's body ends at the `}` that closes a line of its own (a default such as "{}" holds braces).
  for (const [, name, body] of text.matchAll(/model\s+(\w+)\s*\{([\s\S]*?)\n\s*\}/g)) {
    const runtime = internals._runtimeDataModel.models[name].fields;
    const lines = body.split('\n').map((l) => l.trim()).filter(Boolean);
    const fields = lines
      .filter((l) => !l.startsWith('@@'))
      .map((l) => {
        const [, fname, type, mod, attrs] = /^(\w+)\s+(\w+)(\?|\[\])?\s*(.*)$/.exec(l)!;
        const rt = runtime.find((f) => f.name === fname)!;
        expect(rt, `runtime data model lacks ${name}.${fname}`).toBeDefined();
        expect(rt.type).toBe(type);
        return { name: fname, type, kind: rt.kind, optional: mod === '?', attrs };
      });
    expect(fields.map((f) => f.name)).toEqual(runtime.map((f) => f.name));
    models[name] = { fields, blockAttrs: lines.filter((l) => l.startsWith('@@')) };
  }
  return { enums, models };
}

const PG_TYPE: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  Float: 'double precision',
  Boolean: 'boolean',
  DateTime: 'timestamp without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};
const cols = (list: string) => list.split(',').map((c) => c.trim()).join(',');

/** Every migration folder, in the order migrate() applies them. */
const MIGRATIONS = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

let db: TestDatabase;
let prisma: PrismaClient;
let sql: pg.Client;

beforeAll(async () => {
  db = await startTestDatabase();
  prisma = createPrisma(db.url);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await prisma?.$disconnect();
  await db?.stop();
});

describe('migrate()', () => {
  it('records each migration as Prisma does and is a no-op the second time', async () => {
    expect(await migrate(db.url)).toEqual([]);
    const { rows } = await sql.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(MIGRATIONS);
    for (const row of rows) {
      const file = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
    }
  });

  it('applies each migration exactly once when called concurrently', async () => {
    await sql.query('CREATE DATABASE concurrent');
    const url = db.url.replace(/\/guidance_lab$/, '/concurrent');
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(url)));
    expect(results.flat().sort()).toEqual(MIGRATIONS);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    const { rows } = await other.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    await other.end();
    expect(rows[0].n).toBe(MIGRATIONS.length);
  });
});

describe('the migrated schema matches the generated client', () => {
  it('has the same enums', async () => {
    const { enums } = clientMetadata(prisma);
    const { rows } = await sql.query(
      `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.labels]))).toEqual(enums);
  });

  it('has the same tables, columns, types, nullability and defaults', async () => {
    const { models } = clientMetadata(prisma);
    const { rows } = await sql.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    expect([...new Set(rows.map((r) => r.table_name))].sort()).toEqual(Object.keys(models).sort());
    for (const [model, meta] of Object.entries(models)) {
      const scalars = meta.fields.filter((f) => f.kind !== 'object');
      const columns = rows.filter((r) => r.table_name === model);
      expect(columns.map((c) => c.column_name).sort(), model).toEqual(scalars.map((f) => f.name).sort());
      for (const f of scalars) {
        const c = columns.find((col) => col.column_name === f.name)!;
        const where = `${model}.${f.name}`;
        if (f.kind === 'enum') expect([c.data_type, c.udt_name], where).toEqual(['USER-DEFINED', f.type]);
        else expect(c.data_type, where).toBe(PG_TYPE[f.type]);
        if (f.type === 'DateTime') expect(c.datetime_precision, where).toBe(3);
        expect(c.is_nullable, where).toBe(f.optional ? 'YES' : 'NO');
        // uuid() is filled in by the client; every other @default lives in the database.
        const def = /@default\((.*)\)/.exec(f.attrs)?.[1];
        if (!def || def === 'uuid()') expect(c.column_default, where).toBeNull();
        else if (def === 'now()') expect(c.column_default, where).toBe('CURRENT_TIMESTAMP');
        else expect(String(c.column_default).replace(/::.*$/, '').replace(/^'|'$/g, ''), where).toBe(def.replace(/^"|"$/g, ''));
      }
    }
  });

  it('has the same primary keys, unique constraints and indexes', async () => {
    const { models } = clientMetadata(prisma);
    const { rows } = await sql.query(
      `SELECT t.relname AS table, i.indisunique AS unique, ix.relname AS name,
              string_agg(a.attname, ',' ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class ix ON ix.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE t.relname <> '_prisma_migrations'
       GROUP BY t.relname, ix.relname, i.indisunique`,
    );
    const actual = rows.map((r) => `${r.name} ${r.table}:${r.unique ? 'unique' : 'index'}(${r.columns})`).sort();
    // Prisma's default names: <Table>_pkey, <Table>_<columns>_key, <Table>_<columns>_idx.
    const expected: string[] = [];
    for (const [model, meta] of Object.entries(models)) {
      for (const f of meta.fields) {
        if (/@id\b/.test(f.attrs)) expected.push(`${model}_pkey ${model}:unique(${f.name})`);
        if (/@unique\b/.test(f.attrs)) expected.push(`${model}_${f.name}_key ${model}:unique(${f.name})`);
      }
      for (const a of meta.blockAttrs) {
        const [, kind, list] = /^@@(id|unique|index)\(\[([^\]]*)\]/.exec(a)!;
        const name = kind === 'id' ? `${model}_pkey` : `${model}_${cols(list).replace(/,/g, '_')}_${kind === 'index' ? 'idx' : 'key'}`;
        expected.push(`${name} ${model}:${kind === 'index' ? 'index' : 'unique'}(${cols(list)})`);
      }
    }
    expect(actual).toEqual(expected.sort());
  });

  it('has a foreign key for every relation, with the schema referential actions', async () => {
    const { models } = clientMetadata(prisma);
    const { rows } = await sql.query(
      `SELECT tc.constraint_name AS name, tc.table_name AS table, kcu.column_name AS column, ccu.table_name AS target, rc.delete_rule, rc.update_rule
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
       JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
       JOIN information_schema.referential_constraints rc ON rc.constraint_name = tc.constraint_name
       WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
    );
    const actual = rows.map((r) => `${r.name} ${r.table}.${r.column}->${r.target} ${r.delete_rule}/${r.update_rule}`).sort();
    const RULE: Record<string, string> = { Cascade: 'CASCADE', Restrict: 'RESTRICT', SetNull: 'SET NULL', NoAction: 'NO ACTION' };
    const expected: string[] = [];
    for (const [model, meta] of Object.entries(models)) {
      for (const f of meta.fields) {
        const rel = /@relation\((.*)\)/.exec(f.attrs)?.[1];
        const column = rel && /fields:\s*\[(\w+)\]/.exec(rel)?.[1];
        if (!column) continue;
        // Prisma's defaults: Restrict for a required relation, SetNull for an optional one.
        const onDelete = /onDelete:\s*(\w+)/.exec(rel)?.[1] ?? (f.optional ? 'SetNull' : 'Restrict');
        expected.push(`${model}_${column}_fkey ${model}.${column}->${f.type} ${RULE[onDelete]}/CASCADE`);
      }
    }
    expect(actual).toEqual(expected.sort());
  });
});

describe('every model round-trips through the client with every field set', () => {
  it('writes and reads back each model', async () => {
    const t = (s: string) => new Date(`2026-01-02T03:04:${s}.123Z`);
    const sweep = { id: 's1', name: 'n', preset: 'p', spec: { a: [1, 2] }, status: 'running' as const, error: 'e', createdAt: t('01'), startedAt: t('02'), finishedAt: t('03') };
    const model = {
      id: 'm1', key: 'k1', kind: 'noisy_classifier' as const, config: { kind: 'x' }, status: 'succeeded' as const, attempts: 2, error: 'e',
      step: 5, totalSteps: 9, checkpoint: new Uint8Array([1, 2, 3]), checkpointStep: 4, weightsHash: 'w', curve: [{ step: 1, loss: 0.5 }],
      backend: 'wasm', workerId: 'wk', createdAt: t('04'), startedAt: t('05'), finishedAt: t('06'),
    };
    const run = {
      id: 'r1', sweepId: 's1', key: 'rk', guidance: 'classifier', method: 'classifier', methodParams: { interval: [0.28, 1.61], schedule: 'linear' }, pUncond: 0.25, scale: 1.5, seed: 7, sampler: 'ddim', steps: 50, eta: 0.5,
      samplesPerClass: 10, epsModelId: 'm1', classifierModelId: 'm1', guideModelId: 'm1', evaluatorModelId: 'm1', status: 'failed' as const, attempts: 1,
      error: 'boom', phase: 'scoring', progress: 0.75, n: 40, backend: 'cpu', workerId: 'wk', createdAt: t('07'), startedAt: t('08'),
      finishedAt: t('09'), durationMs: 1234,
    };
    const evaluation = { id: 'v1', runId: 'r1', evaluatorHash: 'h', accuracy: 0.985, attainable: 1, floor: { n: 40, metrics: { fid: 0.5 } } };
    const metric = { id: 'x1', runId: 'r1', name: 'is', value: 3.5, std: 0.25, n: 40, evaluatorHash: 'h', referenceSet: 'toy2d:test:2000' };
    const grid = { id: 'g1', runId: 'r1', png: new Uint8Array([137, 80, 78, 71]), rows: 4, cols: 8, cellSize: 28, classNames: ['a', 'b'] };
    const worker = { id: 'w1', host: 'h', pid: 42, backend: 'wasm', startedAt: t('10'), lastHeartbeat: t('11'), currentJob: 'run:r1' };
    const samples = { runId: 'r1', shape: [28, 28, 1], dtype: 'uint8', count: 40, seed: 7, x: new Uint8Array([1, 2]), y: new Uint8Array([3]), rawBytes: 31520, createdAt: t('12') };
    const predictions = { runId: 'r1', evaluatorHash: 'h', predicted: new Uint8Array([4]), confidence: new Uint8Array([5]), createdAt: t('13') };
    const rescore = { id: 'q1', runId: 'r1', evaluatorModelId: 'm1', status: 'running' as const, attempts: 1, error: 'e', workerId: 'wk', createdAt: t('14'), startedAt: t('15'), finishedAt: t('16') };

    expect(await prisma.sweep.create({ data: sweep })).toEqual(sweep);
    expect(await prisma.model.create({ data: model })).toEqual(model);
    expect(await prisma.sweepModel.create({ data: { sweepId: 's1', modelId: 'm1' } })).toEqual({ sweepId: 's1', modelId: 'm1' });
    expect(await prisma.run.create({ data: run })).toEqual(run);
    expect(await prisma.metric.create({ data: metric })).toEqual(metric);
    expect(await prisma.runEvaluation.create({ data: evaluation })).toEqual(evaluation);
    expect(await prisma.sampleGrid.create({ data: grid })).toEqual(grid);
    expect(await prisma.worker.create({ data: worker })).toEqual(worker);
    expect(await prisma.runSamples.create({ data: samples })).toEqual(samples);
    expect(await prisma.samplePredictions.create({ data: predictions })).toEqual(predictions);
    expect(await prisma.rescore.create({ data: rescore })).toEqual(rescore);

    expect(await prisma.sweep.findUnique({ where: { id: 's1' } })).toEqual(sweep);
    expect(await prisma.model.findUnique({ where: { key: 'k1' } })).toEqual(model);
    expect(await prisma.run.findUnique({ where: { sweepId_key: { sweepId: 's1', key: 'rk' } } })).toEqual(run);
    expect(await prisma.metric.findUnique({ where: { runId_evaluatorHash_name: { runId: 'r1', evaluatorHash: 'h', name: 'is' } } })).toEqual(metric);
    expect(await prisma.sampleGrid.findUnique({ where: { runId: 'r1' } })).toEqual(grid);
    expect(await prisma.worker.findUnique({ where: { id: 'w1' } })).toEqual(worker);

    expect(await prisma.runEvaluation.findUnique({ where: { runId_evaluatorHash: { runId: 'r1', evaluatorHash: 'h' } } })).toEqual(evaluation);

    // Deleting the sweep cascades to its runs, their metrics, verdicts, grid, samples, predictions and re-scorings, and the links; the model stays.
    await prisma.sweep.delete({ where: { id: 's1' } });
    const left = [prisma.run, prisma.metric, prisma.runEvaluation, prisma.sampleGrid, prisma.runSamples, prisma.samplePredictions, prisma.rescore, prisma.sweepModel, prisma.model] as unknown as { count(): Promise<number> }[];
    expect(await Promise.all(left.map((table) => table.count()))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});
