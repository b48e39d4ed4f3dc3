/**
 * The API's error vocabulary. Clients get a code, a message naming the field and the allowed
 * range, and `extensions.field`; never a stack trace or an internal message.
 */
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { SpecError } from '@guidance-lab/experiments';

export function badInput(field: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(`${field} ${message}`, { extensions: { code: 'BAD_USER_INPUT', field, ...extra } });
}

/** `check` run on a spec argument; a SpecError it throws comes out as BAD_USER_INPUT: first bad field in `field`, all of them in `issues`. */
export function specInput<T>(argument: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    throw new GraphQLError(error.message, {
      extensions: { code: 'BAD_USER_INPUT', field: error.issues[0]?.field ?? '(spec)', argument, issues: error.issues },
    });
  }
}

export function notFound(what: string, id: string, field = 'id'): GraphQLError {
  return new GraphQLError(`${what} ${id} not found (${field})`, { extensions: { code: 'NOT_FOUND', field } });
}

export function unauthenticated(what: 'mutations' | 'reads' = 'mutations'): GraphQLError {
  const why = what === 'reads' ? 'reads need (GUIDANCE_TOKEN_READS=1)' : 'mutations need';
  return new GraphQLError(`${why} the header Authorization: Bearer <GUIDANCE_API_TOKEN>`, {
    extensions: { code: 'UNAUTHENTICATED', field: 'Authorization', http: { status: 401 } },
  });
}

/** A well-formed request the API does not serve (e.g. a subscription over plain HTTP). */
export function badRequest(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field} ${message}`, { extensions: { code: 'BAD_REQUEST', field, http: { status: 400 } } });
}

/** Ids are UUIDs; anything else (a NUL byte, a path) is refused before it reaches PostgreSQL. */
export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** A malformed id names nothing: NOT_FOUND, like an unknown one, before the query reaches PostgreSQL. */
export function checkId(field: string, id: string, what: string): void {
  if (!isUuid(id)) throw notFound(what, JSON.stringify(id), field);
}

const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'RESPONSE_TOO_LARGE',
]);

/** Apollo's formatError: client errors pass through without internals; anything else is masked and logged. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  const { stacktrace: _dropped, exception: _alsoDropped, http: _status, ...extensions } = formatted.extensions ?? {};
  if (CLIENT_CODES.has(code)) return { ...formatted, extensions: { ...extensions, code } };
  console.error('[api] internal error:', error);
  return { message: 'internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
