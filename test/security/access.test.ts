/**
 * The API as a hostile page or a careless deployment would meet it, over real HTTP against a real
 * PostgreSQL: where it listens, which origins and hosts it answers, CSRF, JSON errors without
 * stacks, body and response limits, and the GraphQL cost limits.
 */
import { createApiServer, type ApiServer } from '@guidance-lab/api';
import { createPrisma, startTestDatabase, type PrismaClient, type TestDatabase } from '@guidance-lab/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessFromEnv, checkExposure, isLoopback } from '../../apps/api/src/access';
import { PRESETS, SWEEP, SWEEPS } from '../../apps/web/lib/queries';

const DASHBOARD = 'http://localhost:3000';
let db: TestDatabase;
let prisma: PrismaClient;
let api: ApiServer;
let origin: string;
let sweepId: string;

beforeAll(async () => {
  db = await startTestDatabase();
  prisma = createPrisma(db.url);
  api = await createApiServer({ prisma, databaseUrl: db.url, port: 0, access: { allowedOrigins: [DASHBOARD] } });
  origin = new URL(api.url).origin;
  sweepId = (await prisma.sweep.create({ data: { name: 'victim', spec: {} } })).id;
});
afterAll(async () => {
  await api?.stop();
  await prisma?.$disconnect();
  await db?.stop();
});

const DELETE = (id: string) => JSON.stringify({ query: `mutation { deleteSweep(id: "${id}") }` });
const stillThere = async () => (await prisma.sweep.count({ where: { id: sweepId } })) === 1;

describe('where the API listens', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(new URL(api.url).hostname).toBe('127.0.0.1');
    expect(accessFromEnv({}).host).toBe('127.0.0.1');
    expect(accessFromEnv({ GUIDANCE_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('refuses a non-loopback address without a token, with a message saying what to set', async () => {
    expect(() => checkExposure(accessFromEnv({ GUIDANCE_HOST: '0.0.0.0' }))).toThrow(/refusing to listen on 0\.0\.0\.0 \(GUIDANCE_HOST\) without GUIDANCE_API_TOKEN/);
    expect(() => checkExposure(accessFromEnv({ GUIDANCE_HOST: '0.0.0.0', GUIDANCE_API_TOKEN: 'long-secret' }))).not.toThrow();
    expect(() => checkExposure(accessFromEnv({ GUIDANCE_TOKEN_READS: '1' }))).toThrow(/GUIDANCE_TOKEN_READS=1 needs GUIDANCE_API_TOKEN/);
    await expect(createApiServer({ prisma, databaseUrl: db.url, port: 0, access: { host: '0.0.0.0', token: null } })).rejects.toThrow(/without GUIDANCE_API_TOKEN/);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com', 'localhost.example.com']) expect(isLoopback(host)).toBe(false);
  });

  it('allows the dashboard origins npm start serves by default, and GUIDANCE_ALLOWED_ORIGINS replaces them', () => {
    expect(accessFromEnv({}).allowedOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(accessFromEnv({ GUIDANCE_WEB_PORT: '3100' }).allowedOrigins).toEqual(['http://localhost:3100', 'http://127.0.0.1:3100']);
    expect(accessFromEnv({ GUIDANCE_ALLOWED_ORIGINS: 'https://lab.example.org, http://10.0.0.2:3000' }).allowedOrigins).toEqual(['https://lab.example.org', 'http://10.0.0.2:3000']);
    expect(() => accessFromEnv({ GUIDANCE_ALLOWED_ORIGINS: 'https://lab.example.org/path' })).toThrow(/bare origins/);
  });
});

describe('cross-origin requests', () => {
  it('a cross-origin deleteSweep fails, as JSON and as a simple request, and the sweep survives', async () => {
    for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await fetch(api.url, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': contentType }, body: DELETE(sweepId) });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_ORIGIN');
    }
    const preflight = await fetch(api.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(await stillThere()).toBe(true);
  });

  it('a simple request without Origin is stopped by CSRF prevention (no preflight header)', async () => {
    const res = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: DELETE(sweepId) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const get = await fetch(`${api.url}?query=${encodeURIComponent('{ workers { id } }')}`);
    expect(get.status).toBe(400);
    expect(JSON.stringify(await get.json())).toMatch(/CSRF|preflight/i);
    expect(await stillThere()).toBe(true);
  });

  it('the dashboard origin gets CORS headers and a preflight answer', async () => {
    const preflight = await fetch(api.url, { method: 'OPTIONS', headers: { origin: DASHBOARD, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    const res = await fetch(api.url, { method: 'POST', headers: { origin: DASHBOARD, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ workers { id } }' }) });
    expect(res.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(((await res.json()) as { data: unknown }).data).toEqual({ workers: [] });
  });

  it('refuses a foreign Host on loopback (DNS rebinding) and a WebSocket from another origin', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${origin}/health`, { headers: { host: 'rebound.example:4000' } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const { default: WebSocket } = await import('ws');
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(api.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { origin: 'https://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(code).toBe(403);
  });
});

describe('errors and limits', () => {
  const graphql = (body: unknown) =>
    fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('the dashboard’s own queries pass the depth, cost, alias and token limits', async () => {
    for (const [query, variables] of [[SWEEPS, { first: 100 }], [SWEEP, { id: sweepId }], [PRESETS, {}]] as const) {
      const body = (await (await graphql({ query, variables })).json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
    }
  });

  it('a 5 MB body is answered 413 in JSON', async () => {
    const res = await graphql({ query: '{ workers { id } }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than the API accepts (1 MB)' } });
  });

  it('rejects more aliases than allowed and queries over the cost limit, and caps the response size', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: workers { id }`).join(' ')} }`;
    expect(JSON.stringify(await (await graphql({ query: aliases(50) })).json())).toMatch(/Aliases limit of 15 exceeded/i);
    expect(JSON.stringify(await (await graphql({ query: aliases(1000) })).json())).toMatch(/Token limit of 2000 exceeded/i);
    expect(((await (await graphql({ query: aliases(15) })).json()) as { errors?: unknown }).errors).toBeUndefined();
    const costly = `{ ${Array.from({ length: 12 }, (_, i) => `s${i}: sweeps(first: 100) { nodes { runs { metrics { fid is kid precision recall adherence } metricRows { name value n } epsModel { key config curve } } } }`).join(' ')} }`;
    const cost = (await (await graphql({ query: costly })).json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(cost.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(cost.errors[0].message).toMatch(/Cost limit/i);

    const small = await createApiServer({ prisma, databaseUrl: db.url, port: 0 });
    process.env.GUIDANCE_MAX_RESPONSE_BYTES = '200';
    const capped = await createApiServer({ prisma, databaseUrl: db.url, port: 0 });
    delete process.env.GUIDANCE_MAX_RESPONSE_BYTES;
    try {
      const query = JSON.stringify({ query: '{ presets { name description } }' });
      const ok = (await (await fetch(small.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query })).json()) as { data: unknown };
      expect(JSON.stringify(ok.data).length).toBeGreaterThan(200);
      const big = (await (await fetch(capped.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query })).json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
      expect(big.data).toBeUndefined();
      expect(big.errors[0].extensions.code).toBe('RESPONSE_TOO_LARGE');
      expect(big.errors[0].message).toMatch(/more than GUIDANCE_MAX_RESPONSE_BYTES = 200/);
    } finally {
      await small.stop();
      await capped.stop();
    }
    // Stopping twice (a signal during shutdown, a test's afterAll) waits for the first stop and does not throw.
    await expect(Promise.all([small.stop(), small.stop()])).resolves.toEqual([undefined, undefined]);
  });

  it('a database error in an export is a JSON 500 without stack or path', async () => {
    const run = await prisma.$executeRawUnsafe('ALTER TABLE "Run" RENAME TO "RunAway"');
    try {
      const res = await fetch(`${origin}/sweeps/${sweepId}/results.csv`);
      expect(run).toBe(0);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal server error' } });
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE "RunAway" RENAME TO "Run"');
    }
  });
});
