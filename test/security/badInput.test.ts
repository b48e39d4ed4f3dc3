/**
 * The bad-input suite: what a careless or hostile client sends, over GraphQL, the plain HTTP
 * routes and the sweep CLI, against the real API on a real PostgreSQL. Every case must be refused
 * with the expected code, a message that names the field (or argument, header or route) at fault,
 * and nothing that leaks: no stack frame, no absolute path of this machine, no byte of a file.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApiServer, type ApiServer } from '@guidance-lab/api';
import { createPrisma, startTestDatabase, type PrismaClient, type TestDatabase } from '@guidance-lab/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'bad-input-')));
const dataDir = join(scratch, 'datasets');
mkdirSync(join(dataDir, 'folder/a'), { recursive: true });
writeFileSync(join(dataDir, 'big.idx'), Buffer.alloc(4096));
writeFileSync(join(dataDir, 'ok.idx'), Buffer.alloc(16));
writeFileSync(join(scratch, 'id_rsa'), '-----BEGIN PRIVATE KEY----- SECRETSECRET');
symlinkSync(join(scratch, 'id_rsa'), join(dataDir, 'key.idx'));
symlinkSync('/etc', join(dataDir, 'etc'));

let db: TestDatabase;
let prisma: PrismaClient;
let api: ApiServer;
let sweepId: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, { GUIDANCE_DATA_DIR: dataDir, GUIDANCE_MAX_DATA_FILE_BYTES: '1024', GUIDANCE_MAX_RUNS: '50', GUIDANCE_MAX_SAMPLES: '100000' });
  db = await startTestDatabase();
  prisma = createPrisma(db.url);
  api = await createApiServer({ prisma, databaseUrl: db.url, port: 0 });
  sweepId = (await prisma.sweep.create({ data: { name: 'existing', spec: {} } })).id;
});
afterAll(async () => {
  process.env = savedEnv;
  await api?.stop();
  await prisma?.$disconnect();
  await db?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** What came back, flattened: HTTP status, the whole raw body, the error code and message. */
interface Outcome {
  status: number;
  raw: string;
  code: string;
  message: string;
}

/** Things that must never reach a client: stack frames, this machine's paths, file contents. */
function leaks(raw: string): string[] {
  const found: string[] = [];
  if (/\bat .+:\d+:\d+/.test(raw) || /"stack(trace)?"/.test(raw)) found.push('stack');
  for (const path of [REPO.replace(/\/$/, ''), scratch, '/root/', 'node_modules', 'file://']) if (raw.includes(path)) found.push(`path ${path}`);
  for (const content of ['root:x:0', 'PRIVATE KEY', 'SECRETSECRET']) if (raw.includes(content)) found.push(`content ${content}`);
  return found;
}

function parseOutcome(status: number, raw: string): Outcome {
  let body: { errors?: { message: string; extensions?: { code?: string } }[]; error?: { code: string; message: string } } = {};
  try {
    body = JSON.parse(raw);
  } catch {
    return { status, raw, code: 'NOT_JSON', message: raw };
  }
  const e = body.errors?.[0];
  if (e) return { status, raw, code: e.extensions?.code ?? 'NO_CODE', message: e.message };
  if (body.error) return { status, raw, code: body.error.code, message: body.error.message };
  return { status, raw, code: 'ACCEPTED', message: '' };
}

async function http(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Outcome> {
  const url = new URL(path, api.url);
  // node:http, not fetch: fetch would re-encode a malformed URL before sending it.
  return new Promise((resolve, reject) => {
    const req = request(url, { method, path, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers } }, (res) => {
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (raw += c));
      res.on('end', () => resolve(parseOutcome(res.statusCode ?? 0, raw)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const gql = (query: string, variables: Record<string, unknown> = {}) => http('POST', '/graphql', JSON.stringify({ query, variables }));

const LAUNCH = `mutation($spec: JSON!, $name: String) { launchSweep(spec: $spec, name: $name) { id } }`;
const base = { dataset: { kind: 'toy2d' }, guidance: ['classifier-free'], scales: [1, 2], samplesPerClass: 10 };
const launch = (over: Record<string, unknown>, name?: string) => gql(LAUNCH, { spec: { ...base, ...over }, name });
const idx = (images: string, labels = 'ok.idx') => ({ dataset: { kind: 'idx', images, labels }, samplesPerClass: 5 });

const run = promisify(execFile);
async function cli(spec: unknown, args: string[] = []): Promise<Outcome> {
  const file = join(scratch, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec));
  const env = { ...process.env, GUIDANCE_DATA_DIR: dataDir, GUIDANCE_MAX_DATA_FILE_BYTES: '1024' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'workers/src/cli/sweep.ts', file, '--out', join(scratch, 'out'), ...args], { cwd: REPO, env });
    return { status: 0, raw: stdout + stderr, code: 'ACCEPTED', message: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    // The spec file's own path is the user's argument; only this machine's other paths count as leaks.
    const raw = (e.stdout + e.stderr).replaceAll(file, '<spec.json>');
    return { status: e.code, raw, code: `EXIT_${e.code}`, message: raw };
  }
}

interface Case {
  name: string;
  send: () => Promise<Outcome>;
  code: string;
  /** Text the message must contain: the field, argument, header or route at fault. */
  names: string;
  status?: number;
}

const UUID = '00000000-0000-4000-8000-000000000000';
const graphqlCases: Case[] = [
  // spec fields out of range, of the wrong type or unknown
  { name: 'dataset kind unknown', send: () => launch({ dataset: { kind: 'cifar' } }), code: 'BAD_USER_INPUT', names: 'dataset.kind' },
  { name: 'dataset missing', send: () => gql(LAUNCH, { spec: { guidance: ['none'], scales: [1] } }), code: 'BAD_USER_INPUT', names: 'dataset' },
  { name: 'toy2d classes 1', send: () => launch({ dataset: { kind: 'toy2d', classes: 1 } }), code: 'BAD_USER_INPUT', names: 'dataset.classes' },
  { name: 'toy2d classes 11', send: () => launch({ dataset: { kind: 'toy2d', classes: 11 } }), code: 'BAD_USER_INPUT', names: 'dataset.classes' },
  { name: 'toy2d trainSize tiny', send: () => launch({ dataset: { kind: 'toy2d', trainSize: 5 } }), code: 'BAD_USER_INPUT', names: 'dataset.trainSize' },
  { name: 'toy2d unknown field', send: () => launch({ dataset: { kind: 'toy2d', colour: 'red' } }), code: 'BAD_USER_INPUT', names: 'colour' },
  { name: 'mnist testPerClass 0', send: () => launch({ dataset: { kind: 'mnist', testPerClass: 0 } }), code: 'BAD_USER_INPUT', names: 'dataset.testPerClass' },
  { name: 'schedule kind', send: () => launch({ schedule: { kind: 'sigmoid' } }), code: 'BAD_USER_INPUT', names: 'schedule.kind' },
  { name: 'schedule T too big', send: () => launch({ schedule: { T: 100000 } }), code: 'BAD_USER_INPUT', names: 'schedule.T' },
  { name: 'model hidden string', send: () => launch({ model: { hidden: 'wide' } }), code: 'BAD_USER_INPUT', names: 'model.hidden' },
  { name: 'model channels empty', send: () => launch({ model: { channels: [] } }), code: 'BAD_USER_INPUT', names: 'model.channels' },
  { name: 'model channels 512', send: () => launch({ model: { channels: [512] } }), code: 'BAD_USER_INPUT', names: 'model.channels.0' },
  { name: 'training steps 0', send: () => launch({ training: { steps: 0 } }), code: 'BAD_USER_INPUT', names: 'training.steps' },
  { name: 'training steps fractional', send: () => launch({ training: { steps: 1.5 } }), code: 'BAD_USER_INPUT', names: 'training.steps' },
  { name: 'training learningRate 5', send: () => launch({ training: { learningRate: 5 } }), code: 'BAD_USER_INPUT', names: 'training.learningRate' },
  { name: 'training batchSize negative', send: () => launch({ training: { batchSize: -1 } }), code: 'BAD_USER_INPUT', names: 'training.batchSize' },
  { name: 'classifier depth 99', send: () => launch({ classifier: { depth: 99 } }), code: 'BAD_USER_INPUT', names: 'classifier.depth' },
  { name: 'evaluator steps null', send: () => launch({ evaluator: { steps: null } }), code: 'BAD_USER_INPUT', names: 'evaluator.steps' },
  { name: 'guidance unknown', send: () => launch({ guidance: ['magic'] }), code: 'BAD_USER_INPUT', names: 'guidance.0' },
  { name: 'guidance empty', send: () => launch({ guidance: [] }), code: 'BAD_USER_INPUT', names: 'guidance' },
  { name: 'scales negative', send: () => launch({ scales: [-1] }), code: 'BAD_USER_INPUT', names: 'scales.0' },
  { name: 'scales repeated', send: () => launch({ scales: [1, 1] }), code: 'BAD_USER_INPUT', names: 'scales' },
  { name: 'scales not a list', send: () => launch({ scales: 3 }), code: 'BAD_USER_INPUT', names: 'scales' },
  { name: 'pUncond above 1', send: () => launch({ pUncond: [1.5] }), code: 'BAD_USER_INPUT', names: 'pUncond.0' },
  { name: 'pUncond only 0 and 1 for CFG', send: () => launch({ pUncond: [0, 1] }), code: 'BAD_USER_INPUT', names: 'pUncond' },
  { name: 'seeds negative', send: () => launch({ seeds: [-3] }), code: 'BAD_USER_INPUT', names: 'seeds.0' },
  { name: 'sampler kind', send: () => launch({ sampler: { kind: 'euler' } }), code: 'BAD_USER_INPUT', names: 'sampler.kind' },
  { name: 'sampler steps above T', send: () => launch({ schedule: { T: 100 }, sampler: { steps: 200 } }), code: 'BAD_USER_INPUT', names: 'sampler.steps' },
  { name: 'sampler eta 2', send: () => launch({ sampler: { eta: 2 } }), code: 'BAD_USER_INPUT', names: 'sampler.eta' },
  { name: 'samplesPerClass 0', send: () => launch({ samplesPerClass: 0 }), code: 'BAD_USER_INPUT', names: 'samplesPerClass' },
  { name: 'samplesPerClass too few for IS splits', send: () => launch({ samplesPerClass: 2 }), code: 'BAD_USER_INPUT', names: 'samplesPerClass' },
  { name: 'unknown top-level field', send: () => launch({ steps: 5 }), code: 'BAD_USER_INPUT', names: 'steps' },
  { name: 'spec is an array', send: () => gql(LAUNCH, { spec: [1, 2] }), code: 'BAD_USER_INPUT', names: 'spec' },
  { name: 'spec is a string', send: () => gql(LAUNCH, { spec: 'toy2d' }), code: 'BAD_USER_INPUT', names: 'spec' },
  // text PostgreSQL cannot store
  { name: 'NUL in name', send: () => launch({ name: 'a\u0000b' }), code: 'BAD_USER_INPUT', names: 'name' },
  { name: 'NUL in name argument', send: () => launch({}, 'x\u0000'), code: 'BAD_USER_INPUT', names: 'name' },
  { name: 'NUL in description', send: () => launch({ description: 'about\u0000' }), code: 'BAD_USER_INPUT', names: 'description' },
  { name: 'name too long', send: () => launch({ name: 'n'.repeat(201) }), code: 'BAD_USER_INPUT', names: 'name' },
  { name: 'description too long', send: () => launch({ description: 'd'.repeat(4001) }), code: 'BAD_USER_INPUT', names: 'description' },
  // dataset paths
  { name: 'idx /etc/passwd', send: () => launch(idx('/etc/passwd')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx ../ escape', send: () => launch(idx('../id_rsa')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx deep ../ escape', send: () => launch(idx('ok.idx', '../../../../etc/shadow')), code: 'BAD_USER_INPUT', names: 'dataset.labels' },
  { name: 'idx symlink out of the root', send: () => launch(idx('key.idx')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx through a linked folder', send: () => launch(idx('etc/passwd')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx missing file', send: () => launch(idx('nope.idx')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx a folder', send: () => launch(idx('folder')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx over the size limit', send: () => launch(idx('big.idx')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx /dev/zero', send: () => launch(idx('/dev/zero')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx empty path', send: () => launch(idx('')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'idx NUL in path', send: () => launch(idx('ok.idx\u0000')), code: 'BAD_USER_INPUT', names: 'dataset.images' },
  { name: 'folder /etc', send: () => launch({ dataset: { kind: 'folder', path: '/etc' }, samplesPerClass: 5 }), code: 'BAD_USER_INPUT', names: 'dataset.path' },
  { name: 'folder ..', send: () => launch({ dataset: { kind: 'folder', path: '..' }, samplesPerClass: 5 }), code: 'BAD_USER_INPUT', names: 'dataset.path' },
  { name: 'folder is a file', send: () => launch({ dataset: { kind: 'folder', path: 'ok.idx' }, samplesPerClass: 5 }), code: 'BAD_USER_INPUT', names: 'dataset.path' },
  { name: 'folder missing', send: () => launch({ dataset: { kind: 'folder', path: 'nowhere' }, samplesPerClass: 5 }), code: 'BAD_USER_INPUT', names: 'dataset.path' },
  // limits
  { name: 'compute over budget', send: () => launch({ training: { steps: 1_000_000, batchSize: 1024 }, model: { hidden: 1024, depth: 8 } }), code: 'BAD_USER_INPUT', names: 'GUIDANCE_MAX_COMPUTE' },
  { name: 'grid over GUIDANCE_MAX_RUNS', send: () => launch({ scales: Array.from({ length: 60 }, (_, i) => i) }), code: 'BAD_USER_INPUT', names: 'GUIDANCE_MAX_RUNS' },
  { name: 'samples over GUIDANCE_MAX_SAMPLES', send: () => launch({ samplesPerClass: 10_000, scales: [1, 2, 3] }), code: 'BAD_USER_INPUT', names: 'samplesPerClass' },
  // presets
  { name: 'preset unknown', send: () => gql(`mutation { launchPreset(name: "nope") { id } }`), code: 'BAD_USER_INPUT', names: 'name' },
  { name: 'preset overrides not an object', send: () => gql(`mutation { launchPreset(name: "toy2d-tradeoff", overrides: [1]) { id } }`), code: 'BAD_USER_INPUT', names: 'overrides' },
  { name: 'preset override out of range', send: () => gql(`mutation { launchPreset(name: "toy2d-tradeoff", overrides: { sampler: { eta: 9 } }) { id } }`), code: 'BAD_USER_INPUT', names: 'sampler.eta' },
  { name: 'preset override NUL name', send: () => gql(`mutation($o: JSON) { launchPreset(name: "toy2d-tradeoff", overrides: $o) { id } }`, { o: { name: '\u0000' } }), code: 'BAD_USER_INPUT', names: 'name' },
  // ids and paging
  { name: 'sweep id unknown', send: () => gql(`{ sweep(id: "${UUID}") { id } }`), code: 'NOT_FOUND', names: 'id' },
  { name: 'sweep id malformed', send: () => gql(`{ sweep(id: "../../etc") { id } }`), code: 'NOT_FOUND', names: 'id' },
  { name: 'sweep id with NUL', send: () => gql(`query($id: ID!) { sweep(id: $id) { id } }`, { id: 'a\u0000' }), code: 'NOT_FOUND', names: 'id' },
  { name: 'run id unknown', send: () => gql(`{ run(id: "${UUID}") { id } }`), code: 'NOT_FOUND', names: 'id' },
  { name: 'tradeoff sweepId malformed', send: () => gql(`{ tradeoff(sweepId: "x") { label } }`), code: 'NOT_FOUND', names: 'sweepId' },
  { name: 'cancelSweep unknown', send: () => gql(`mutation { cancelSweep(id: "${UUID}") { id } }`), code: 'NOT_FOUND', names: 'id' },
  { name: 'retryFailed NUL id', send: () => gql(`mutation($id: ID!) { retryFailed(id: $id) { id } }`, { id: '\u0000' }), code: 'NOT_FOUND', names: 'id' },
  { name: 'deleteSweep malformed', send: () => gql(`mutation { deleteSweep(id: "'; DROP TABLE \\"Sweep\\"; --") }`), code: 'NOT_FOUND', names: 'id' },
  { name: 'sweeps first 0', send: () => gql(`{ sweeps(first: 0) { totalCount } }`), code: 'BAD_USER_INPUT', names: 'first' },
  { name: 'sweeps first 101', send: () => gql(`{ sweeps(first: 101) { totalCount } }`), code: 'BAD_USER_INPUT', names: 'first' },
  { name: 'sweeps after malformed', send: () => gql(`{ sweeps(after: "zzz") { totalCount } }`), code: 'BAD_USER_INPUT', names: 'after' },
  { name: 'sweeps after NUL', send: () => gql(`query($a: String) { sweeps(after: $a) { totalCount } }`, { a: '\u0000' }), code: 'BAD_USER_INPUT', names: 'after' },
  { name: 'sweeps status unknown', send: () => gql(`{ sweeps(status: exploded) { totalCount } }`), code: 'GRAPHQL_VALIDATION_FAILED', names: 'exploded' },
  // documents
  { name: 'variable of the wrong type', send: () => gql(`query($f: Int) { sweeps(first: $f) { totalCount } }`, { f: 'ten' }), code: 'BAD_USER_INPUT', names: '$f' },
  { name: 'required variable missing', send: () => gql(`query($id: ID!) { sweep(id: $id) { id } }`), code: 'BAD_USER_INPUT', names: '$id' },
  { name: 'unknown field', send: () => gql(`{ sweeps { secrets } }`), code: 'GRAPHQL_VALIDATION_FAILED', names: 'secrets' },
  // GraphQL Armor's token limit parses the document itself, so a syntax error is reported as a validation failure.
  { name: 'syntax error', send: () => gql(`{ sweeps { `), code: 'GRAPHQL_VALIDATION_FAILED', names: 'Syntax Error' },
  { name: 'too deep', send: () => gql(`{ sweep(id: "${UUID}") { ${'runs { sweep { '.repeat(5)}id${' } }'.repeat(5)} } }`), code: 'GRAPHQL_VALIDATION_FAILED', names: 'depth' },
  { name: 'too many aliases', send: () => gql(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: presets { name }`).join(' ')} }`), code: 'GRAPHQL_VALIDATION_FAILED', names: 'Aliases' },
  { name: 'subscription over HTTP', send: () => gql(`subscription { sweepProgress(id: "${UUID}") { id } }`), code: 'BAD_REQUEST', names: 'subscription', status: 400 },
  { name: 'query missing', send: () => http('POST', '/graphql', JSON.stringify({ variables: {} })), code: 'BAD_REQUEST', names: 'query' },
];

const routeCases: Case[] = [
  { name: 'invalid JSON body', send: () => http('POST', '/graphql', '{"query": '), code: 'BAD_REQUEST', names: 'body', status: 400 },
  { name: 'null body', send: () => http('POST', '/graphql', 'null'), code: 'BAD_REQUEST', names: 'body', status: 400 },
  { name: '5 MB body', send: () => http('POST', '/graphql', JSON.stringify({ query: '{ presets { name } }', pad: 'x'.repeat(5 << 20) })), code: 'PAYLOAD_TOO_LARGE', names: 'body', status: 413 },
  { name: 'text/plain body', send: () => http('POST', '/graphql', '{ presets { name } }', { 'content-type': 'text/plain' }), code: 'UNSUPPORTED_MEDIA_TYPE', names: 'Content-Type', status: 415 },
  { name: 'JSON body in a foreign charset', send: () => http('POST', '/graphql', '{}', { 'content-type': 'application/json; charset=ebcdic' }), code: 'UNSUPPORTED_MEDIA_TYPE', names: 'body', status: 415 },
  { name: 'malformed percent-encoding in a grid URL', send: () => http('GET', '/grids/%E0%A4%A.png'), code: 'BAD_REQUEST', names: 'URL', status: 400 },
  { name: 'grid of an unknown run', send: () => http('GET', `/grids/${UUID}.png`), code: 'NOT_FOUND', names: 'grids', status: 404 },
  { name: 'grid path traversal', send: () => http('GET', '/grids/..%2F..%2Fetc%2Fpasswd.png'), code: 'NOT_FOUND', names: 'grids', status: 404 },
  { name: 'grid without .png', send: () => http('GET', `/grids/${UUID}`), code: 'NOT_FOUND', names: 'grids', status: 404 },
  { name: 'results in an unknown format', send: () => http('GET', `/sweeps/${UUID}/results.xml`), code: 'NOT_FOUND', names: 'results.csv', status: 404 },
  { name: 'results of an unknown sweep', send: () => http('GET', `/sweeps/${UUID}/results.csv`), code: 'NOT_FOUND', names: 'sweep', status: 404 },
  { name: 'results of a malformed id', send: () => http('GET', '/sweeps/%00/results.json'), code: 'NOT_FOUND', names: 'sweep', status: 404 },
  { name: 'unknown route', send: () => http('GET', '/admin'), code: 'NOT_FOUND', names: '/admin', status: 404 },
  { name: 'GET /graphql without a query', send: () => http('GET', '/graphql', undefined, { 'apollo-require-preflight': '1' }), code: 'BAD_REQUEST', names: 'query', status: 400 },
  { name: 'mutation over GET', send: () => http('GET', `/graphql?query=${encodeURIComponent(`mutation { deleteSweep(id: "${UUID}") }`)}`, undefined, { 'apollo-require-preflight': '1' }), code: 'BAD_REQUEST', names: 'GET', status: 405 },
  { name: 'batched operations', send: () => http('POST', '/graphql', JSON.stringify([{ query: '{ presets { name } }' }])), code: 'BAD_REQUEST', names: 'batch', status: 400 },
  { name: 'query not a string', send: () => http('POST', '/graphql', JSON.stringify({ query: 5 })), code: 'BAD_REQUEST', names: 'queries must be strings', status: 400 },
  { name: 'variables not an object', send: () => http('POST', '/graphql', JSON.stringify({ query: '{ presets { name } }', variables: 'x' })), code: 'BAD_REQUEST', names: 'variables', status: 400 },
  { name: 'foreign Origin', send: () => http('POST', '/graphql', JSON.stringify({ query: '{ presets { name } }' }), { origin: 'https://evil.example' }), code: 'FORBIDDEN_ORIGIN', names: 'Origin', status: 403 },
];

const cliCases: Case[] = [
  { name: 'CLI: file not JSON', send: () => cli('root:x:0:0:root:/root:/bin/bash'), code: 'EXIT_2', names: '(file)' },
  { name: 'CLI: spec is an array', send: () => cli([1]), code: 'EXIT_2', names: '(file)' },
  { name: 'CLI: scales out of range', send: () => cli({ ...base, scales: [101] }), code: 'EXIT_2', names: 'scales.0' },
  { name: 'CLI: unknown field', send: () => cli({ ...base, turbo: true }), code: 'EXIT_2', names: 'turbo' },
  { name: 'CLI: samplesPerClass too few', send: () => cli({ ...base, samplesPerClass: 1 }), code: 'EXIT_2', names: 'samplesPerClass' },
  { name: 'CLI: idx outside the data root', send: () => cli({ ...base, ...idx('/etc/passwd') }), code: 'EXIT_2', names: 'dataset.images' },
  { name: 'CLI: idx symlink out', send: () => cli({ ...base, ...idx('key.idx') }), code: 'EXIT_2', names: 'dataset.images' },
  { name: 'CLI: folder missing', send: () => cli({ ...base, dataset: { kind: 'folder', path: 'nowhere' }, samplesPerClass: 5 }), code: 'EXIT_2', names: 'dataset.path' },
  { name: 'CLI: compute over budget', send: () => cli({ ...base, training: { steps: 1_000_000, batchSize: 1024 }, model: { hidden: 1024, depth: 8 } }), code: 'EXIT_2', names: 'GUIDANCE_MAX_COMPUTE' },
  { name: 'CLI: NUL in name', send: () => cli({ ...base, name: 'a\u0000' }), code: 'EXIT_2', names: 'name' },
  { name: 'CLI: --jobs 0', send: () => cli(base, ['--jobs', '0']), code: 'EXIT_2', names: '--jobs' },
  { name: 'CLI: --backend unknown', send: () => cli(base, ['--backend', 'quantum']), code: 'EXIT_2', names: '--backend' },
];

const ALL = [...graphqlCases, ...routeCases, ...cliCases];

describe('bad input', () => {
  it('has at least 80 cases across GraphQL, HTTP routes and the CLI', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(80);
    expect([graphqlCases.length, routeCases.length, cliCases.length].every((n) => n >= 10)).toBe(true);
  });

  const outcomes = new Map<string, Outcome>();
  describe.each([
    ['GraphQL', graphqlCases],
    ['HTTP routes', routeCases],
    ['CLI', cliCases],
  ])('%s', (_, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s: refused with its code, named, nothing leaked', async (_name, c) => {
      const outcome = await c.send();
      outcomes.set(c.name, outcome);
      expect({ code: outcome.code, leaks: leaks(outcome.raw) }, outcome.raw.slice(0, 500)).toEqual({ code: c.code, leaks: [] });
      expect(outcome.message).toContain(c.names);
      if (c.status) expect(outcome.status).toBe(c.status);
    });
  });

  it('refused every case: the sweep table holds only the one sweep made for the id cases', async () => {
    expect(await prisma.sweep.count()).toBe(1);
    expect(await prisma.sweep.findUnique({ where: { id: sweepId } })).not.toBeNull();
  });
});
