/**
 * The API's URL for this request: as the dashboard's server reaches it (API_URL, read at request
 * time so one build serves any API) and as the browser that sent the request should (lib/apiUrl.ts).
 */
import { headers } from 'next/headers';
import { browserApiUrl } from '../lib/apiUrl';

const DEFAULT_API_URL = 'http://localhost:4000/graphql';

export async function apiUrls(): Promise<{ server: string; browser: string }> {
  const request = await headers();
  const server = process.env.API_URL || DEFAULT_API_URL;
  const explicit = process.env.BROWSER_API_URL || process.env.NEXT_PUBLIC_API_URL;
  return { server, browser: browserApiUrl(server, request.get('x-forwarded-host') ?? request.get('host'), explicit) };
}
