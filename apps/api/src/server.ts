/**
 * The HTTP server: Apollo (POST/GET /graphql), graphql-ws subscriptions on the same path and
 * port, and the grid/export routes; CORS open so the dashboard on another port can call it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { createPool, type PrismaClient } from '@guidance-lab/db';
import { makeExecutableSchema } from '@graphql-tools/schema';
import express, { type NextFunction, type Request, type Response } from 'express';
import { makeWorkerUtils } from 'graphile-worker';
import depthLimit from 'graphql-depth-limit';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { mayMutate } from './auth';
import type { ApiContext } from './context';
import { formatError } from './errors';
import { healthRoute } from './health';
import { limitsFromEnv } from './limits';
import { resolvers } from './resolvers';
import { fileRoutes, originOf } from './routes';

export const MAX_QUERY_DEPTH = Number(process.env.GUIDANCE_MAX_QUERY_DEPTH ?? 8);
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
  /** Host to bind; default all interfaces. */
  host?: string;
}

export interface ApiServer {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  stop(): Promise<void>;
}

function cors(req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Access-Control-Allow-Origin': req.get('origin') ?? '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization, Apollo-Require-Preflight',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  });
  if (req.method === 'OPTIONS') res.status(204).end();
  else next();
}

export async function createApiServer({ prisma, databaseUrl, port, host }: ApiServerOptions): Promise<ApiServer> {
  const limits = limitsFromEnv();
  const publicUrl = process.env.GUIDANCE_PUBLIC_API_URL?.replace(/\/$/, '');
  const pool = createPool(databaseUrl, 'api');
  const jobs = await makeWorkerUtils({ pgPool: pool });
  await jobs.migrate(); // graphile-worker's own schema, so jobs can be queued before any worker ran
  const schema = makeExecutableSchema({ typeDefs, resolvers });
  const rules = [depthLimit(MAX_QUERY_DEPTH)];

  const app = express();
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>>(
    {
      schema,
      validate: (s, document) => validate(s, document, [...specifiedRules, ...rules]),
      context: (ctx): ApiContext => {
        const req = ctx.extra.request;
        const origin = `http://${req.headers.host ?? `localhost:${port}`}`;
        return { prisma, jobs, limits, baseUrl: publicUrl ?? origin, mayMutate: mayMutate(ctx.connectionParams?.authorization as string | undefined) };
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
    // The process that hosts the API (npm start, tests) owns shutdown, in its own order.
    stopOnTerminationSignals: false,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
    ],
  });
  await apollo.start();

  app.use(cors);
  app.use(fileRoutes(prisma, publicUrl));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ prisma, jobs, limits, baseUrl: publicUrl ?? originOf(req), mayMutate: mayMutate(req.get('authorization')) }),
    }),
  );
  app.get('/health', healthRoute(prisma));

  await new Promise<void>((done, fail) => {
    httpServer.once('error', fail);
    httpServer.listen(port, host, done);
  });
  const actualPort = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://localhost:${actualPort}/graphql`,
    stop: async () => {
      await apollo.stop(); // drains HTTP and WebSocket connections
      await jobs.release();
      await pool.end();
    },
  };
}
