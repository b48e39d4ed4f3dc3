/**
 * The HTTP server: Apollo (POST/GET /graphql), graphql-ws subscriptions on the same path and
 * port, and the grid/export routes, behind the access policy (access.ts, httpGuards.ts) and the
 * query limits (queryLimits.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { createPool, type PrismaClient } from '@guidance-lab/db';
import { makeExecutableSchema } from '@graphql-tools/schema';
import express from 'express';
import { makeWorkerUtils } from 'graphile-worker';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { accessFromEnv, checkExposure, type AccessPolicy } from './access';
import { permissions, presentedToken } from './auth';
import type { ApiContext } from './context';
import { formatError } from './errors';
import { healthRoute } from './health';
import { accessGuard, jsonErrors, notFoundJson, refusal, sendError } from './httpGuards';
import { limitsFromEnv } from './limits';
import { operationGuards, queryLimitRules } from './queryLimits';
import { resolvers } from './resolvers';
import { fileRoutes, originOf } from './routes';

/** Largest request body: a sweep spec is a few KiB. */
export const MAX_BODY = '1mb';
const typeDefs = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
/**
 * graphql ships CommonJS and ESM builds without an exports map: Node gives Apollo, graphql-tools
 * and graphql-ws the CommonJS one, while a bundler (Vite, so Vitest) may give our modules the ESM
 * one, and graphql refuses a schema from the other copy. Validate with the copy the schema uses.
 */
const { specifiedRules, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export interface ApiServerOptions {
  prisma: PrismaClient;
  databaseUrl: string;
  /** 0 picks a free port. */
  port: number;
  /** Overrides of the policy read from the environment (access.ts); host defaults to 127.0.0.1. */
  access?: Partial<AccessPolicy>;
}

export interface ApiServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  stop(): Promise<void>;
}

/** The host part of the API's URL: a wildcard address is reached through localhost. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export async function createApiServer({ prisma, databaseUrl, port, access }: ApiServerOptions): Promise<ApiServer> {
  const policy: AccessPolicy = { ...accessFromEnv(), ...access };
  checkExposure(policy);
  const limits = limitsFromEnv();
  const publicUrl = process.env.GUIDANCE_PUBLIC_API_URL?.replace(/\/$/, '');
  const pool = createPool(databaseUrl, 'api');
  const jobs = await makeWorkerUtils({ pgPool: pool });
  await jobs.migrate(); // graphile-worker's own schema, so jobs can be queued before any worker ran
  const schema = makeExecutableSchema({ typeDefs, resolvers });
  const rules = queryLimitRules();

  const app = express();
  // Express shows stacks in its default error page outside production; ours never does, but keep both safe.
  app.set('env', process.env.NODE_ENV ?? 'production');
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: 1024 * 1024,
    verifyClient: ({ req }, done) => {
      const refused = refusal(policy, req);
      if (refused) done(false, refused.status, refused.message);
      else done(true);
    },
  });
  const wsCleanup = useServer<Record<string, unknown>>(
    {
      schema,
      validate: (s, document) => validate(s, document, [...specifiedRules, ...rules]),
      // With token reads on, a subscription is a read: the token comes in connectionParams.authorization.
      onConnect: (ctx) => permissions(policy, presentedToken(ctx.connectionParams?.authorization as string | undefined)).mayRead,
      context: (ctx): ApiContext => {
        const req = ctx.extra.request;
        const origin = `http://${req.headers.host ?? `localhost:${port}`}`;
        const allowed = permissions(policy, presentedToken(ctx.connectionParams?.authorization as string | undefined));
        return { prisma, jobs, limits, baseUrl: publicUrl ?? origin, ...allowed };
      },
      onError: (_ctx, _id, _payload, errors) => {
        for (const e of errors) if (!e.extensions?.code) console.error('[api] subscription error:', e);
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<ApiContext>({
    schema,
    validationRules: rules,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Kept on explicitly: a GET or a simple-content-type POST must carry a header a form cannot send.
    csrfPrevention: true,
    // The process that hosts the API (npm start, tests) owns shutdown, in its own order.
    stopOnTerminationSignals: false,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
      ...operationGuards(limits),
    ],
  });
  await apollo.start();

  app.use(accessGuard(policy));
  app.get('/health', healthRoute(prisma));
  app.use(fileRoutes(prisma, policy, publicUrl));
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY }),
    (req, res, next) => {
      // Apollo answers a POST without a JSON body with a plain-text 500; say what is wrong instead.
      if (req.method === 'POST' && req.body === undefined) return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'POST /graphql needs Content-Type: application/json');
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        prisma,
        jobs,
        limits,
        baseUrl: publicUrl ?? originOf(req),
        ...permissions(policy, presentedToken(req.get('authorization'))),
      }),
    }),
  );
  app.use(notFoundJson);
  app.use(jsonErrors);

  await new Promise<void>((done, fail) => {
    httpServer.once('error', fail);
    httpServer.listen(port, policy.host, done);
  });
  const actualPort = (httpServer.address() as AddressInfo).port;
  // Once only: a second stop (a test's afterAll after the test stopped it, a second signal) waits for the first.
  let stopping: Promise<void> | null = null;
  const stop = async () => {
    await apollo.stop(); // drains HTTP and WebSocket connections
    await jobs.release();
    await pool.end();
  };
  return {
    url: `http://${urlHost(policy.host)}:${actualPort}/graphql`,
    stop: () => (stopping ??= stop()),
  };
}
