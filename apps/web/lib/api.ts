/**
 * The dashboard's one way to the GraphQL API: a POST per operation. Network failures become
 * ApiUnreachableError (the "API is down" banner); GraphQL errors become ApiError carrying each
 * error's code and the spec field it names (extensions.field), so forms can flag the input.
 */
export interface ApiErrorItem {
  message: string;
  code: string | null;
  field: string | null;
  /** Every bad field of a rejected spec (the API's extensions.issues), when it lists them. */
  issues: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly errors: ApiErrorItem[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'ApiError';
  }
}

export class ApiUnreachableError extends Error {
  constructor(readonly url: string, cause: unknown) {
    super(`cannot reach the Guidance Lab API at ${url}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ApiUnreachableError';
  }
}

export interface ApiConfig {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** Bearer token when the API sets GUIDANCE_API_TOKEN: mutations need it, and reads too with GUIDANCE_TOKEN_READS=1. */
  token: string | null;
}

/** The API's origin, for the grid PNGs and exports it serves beside /graphql. */
export function apiBase(url: string): string {
  return url.replace(/\/graphql\/?$/, '');
}

/**
 * An API-relative path (/grids/…) made absolute against the API's origin; absolute URLs pass
 * through. With a token, URLs on the API carry it as access_token (RFC 6750 §2.3): an <img> or a
 * download link cannot send a header, and the API may protect reads (GUIDANCE_TOKEN_READS=1).
 */
export function apiHref(config: ApiConfig, path: string): string {
  const href = /^https?:\/\//.test(path) ? path : `${apiBase(config.url)}${path.startsWith('/') ? '' : '/'}${path}`;
  if (!config.token || !href.startsWith(`${apiBase(config.url)}/`)) return href;
  const url = new URL(href);
  url.searchParams.set('access_token', config.token);
  return url.toString();
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string; issues?: { field: string; message: string }[] } }[];
}

export async function gql<T>(config: ApiConfig, query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(config.token ? { authorization: `Bearer ${config.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal,
      cache: 'no-store',
    });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new ApiUnreachableError(config.url, error);
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiUnreachableError(config.url, new Error(`HTTP ${response.status} with a body that is not GraphQL JSON`));
  }
  if (body.errors?.length) {
    throw new ApiError(
      body.errors.map((e) => ({ message: e.message, code: e.extensions?.code ?? null, field: e.extensions?.field ?? null, issues: e.extensions?.issues ?? [] })),
    );
  }
  if (!body.data) throw new ApiError([{ message: `HTTP ${response.status} without data`, code: null, field: null, issues: [] }]);
  return body.data;
}

/**
 * API errors as spec issues: every field a rejected spec lists (extensions.issues), else the one
 * extensions.field names; errors naming no field stay errors.
 */
export function issuesFromApiError(error: unknown): { issues: { field: string; message: string }[]; rest: Error | null } {
  if (!(error instanceof ApiError)) return { issues: [], rest: error as Error };
  const withField = error.errors.filter((e) => e.code === 'BAD_USER_INPUT' && e.field);
  const others = error.errors.filter((e) => !withField.includes(e));
  const issues = withField.flatMap((e) => (e.issues.length ? e.issues : [{ field: e.field!, message: e.message }]));
  return { issues, rest: others.length ? new ApiError(others) : null };
}
