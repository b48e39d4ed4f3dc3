/**
 * Express middleware in front of every route: browsers only from the allowed origins (a page
 * elsewhere gets 403 before anything runs, so a cross-site form or fetch cannot change data), Host
 * names checked while listening on loopback (DNS rebinding), and every error answered as JSON
 * without a stack or a path.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isLoopback, type AccessPolicy } from './access';

/** The body every non-GraphQL error has: `{ error: { code, message } }`. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function hostName(hostHeader: string | undefined): string {
  try {
    return new URL(`http://${hostHeader ?? ''}`).hostname;
  } catch {
    return '';
  }
}

/** Why a request (HTTP or WebSocket upgrade) is refused before it reaches a route; null when it may go on. */
export function refusal(policy: AccessPolicy, req: Pick<IncomingMessage, 'headers'>): { status: number; code: string; message: string } | null {
  const origin = req.headers.origin;
  if (origin !== undefined && !policy.allowedOrigins.includes(origin)) {
    return { status: 403, code: 'FORBIDDEN_ORIGIN', message: 'this Origin may not call the API; the dashboard origins it allows are set by GUIDANCE_ALLOWED_ORIGINS' };
  }
  // A page whose name was rebound to 127.0.0.1 sends its own name as Host: answer loopback names only.
  if (isLoopback(policy.host) && !isLoopback(hostName(req.headers.host))) {
    return { status: 403, code: 'FORBIDDEN_HOST', message: 'this API listens on loopback and answers only to localhost / 127.0.0.1 / [::1] as Host' };
  }
  return null;
}

/** Origin and Host checks, then CORS headers for the allowed origins and the preflight answer. */
export function accessGuard(policy: AccessPolicy): RequestHandler {
  return (req, res, next) => {
    const refused = refusal(policy, req);
    if (refused) return sendError(res, refused.status, refused.code, refused.message);
    const origin = req.get('origin');
    if (origin) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization, Apollo-Require-Preflight',
        'Access-Control-Max-Age': '600',
      });
    }
    res.vary('Origin');
    if (req.method === 'OPTIONS') res.status(204).end();
    else next();
  };
}

/** Body-parser and router errors by their type, with a fixed message each (theirs quote the input). */
const CLIENT_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than the API accepts (1 MB)' },
  'entity.parse.failed': { code: 'BAD_REQUEST', message: 'the request body is not a JSON object or array' },
  'encoding.unsupported': { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the request body must be UTF-8 JSON' },
  'charset.unsupported': { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the request body must be UTF-8 JSON' },
  'request.aborted': { code: 'BAD_REQUEST', message: 'the request was aborted' },
  'request.size.invalid': { code: 'BAD_REQUEST', message: 'the request body is shorter than its Content-Length' },
};

/** The last error handler: client errors by status, everything else a logged 500 with a fixed message. */
export function jsonErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const e = err as { status?: number; statusCode?: number; type?: string };
  const status = e.status ?? e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = e.type ? CLIENT_ERRORS[e.type] : undefined;
    if (known) return sendError(res, status, known.code, known.message);
    if (err instanceof URIError) return sendError(res, 400, 'BAD_REQUEST', 'the URL is not validly percent-encoded');
    return sendError(res, status, 'BAD_REQUEST', 'the request is malformed');
  }
  console.error(`[api] ${req.method} ${req.path} failed:`, err);
  sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal server error');
}

export function notFoundJson(req: Request, res: Response): void {
  sendError(res, 404, 'NOT_FOUND', `no route for ${req.method} ${req.path}; the API serves /graphql, /health, /grids/<run id>.png and /sweeps/<id>/results.csv|json`);
}
