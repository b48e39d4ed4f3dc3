import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, ApiUnreachableError, apiHref, gql, issuesFromApiError } from './api';

describe('issuesFromApiError', () => {
  it('lists every bad field of a rejected spec, else the one extensions.field names, and keeps the rest as an error', () => {
    const error = new ApiError([
      { message: 'invalid sweep spec: …', code: 'BAD_USER_INPUT', field: 'scales', issues: [{ field: 'scales', message: 'must not repeat a value' }, { field: 'seeds.0', message: 'must be a whole number' }] },
      { message: 'runs 300 exceeds GUIDANCE_MAX_RUNS 200', code: 'BAD_USER_INPUT', field: 'scales', issues: [] },
      { message: 'mutations need a token', code: 'UNAUTHENTICATED', field: null, issues: [] },
    ]);
    const { issues, rest } = issuesFromApiError(error);
    expect(issues).toEqual([
      { field: 'scales', message: 'must not repeat a value' },
      { field: 'seeds.0', message: 'must be a whole number' },
      { field: 'scales', message: 'runs 300 exceeds GUIDANCE_MAX_RUNS 200' },
    ]);
    expect(rest?.message).toBe('mutations need a token');
  });
});

describe('gql', () => {
  it('reports a closed port as ApiUnreachableError naming the URL (the "API is down" banner)', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    await new Promise((resolve) => server.close(resolve));
    const error = await gql({ url, token: null }, '{ presets { name } }').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect((error as Error).message).toContain(`cannot reach the Guidance Lab API at ${url}`);
  });

  it('resolves API paths against the API origin', () => {
    const config = { url: 'http://localhost:4000/graphql', token: null };
    expect(apiHref(config, '/grids/r.png')).toBe('http://localhost:4000/grids/r.png');
    expect(apiHref(config, 'http://h:1/grids/r.png')).toBe('http://h:1/grids/r.png');
  });

  it('adds the token to URLs on the API only, so protected grids and exports load', () => {
    const config = { url: 'http://localhost:4000/graphql', token: 's3cret&x' };
    expect(apiHref(config, '/grids/r.png')).toBe('http://localhost:4000/grids/r.png?access_token=s3cret%26x');
    expect(apiHref(config, 'http://localhost:4000/sweeps/a/results.csv')).toBe('http://localhost:4000/sweeps/a/results.csv?access_token=s3cret%26x');
    expect(apiHref(config, 'http://elsewhere:1/x.png')).toBe('http://elsewhere:1/x.png');
  });
});
