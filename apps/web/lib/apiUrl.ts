/**
 * Where a browser finds the API. BROWSER_API_URL (or NEXT_PUBLIC_API_URL), when set, is used as it is. Otherwise the
 * dashboard's server knows the API as API_URL, usually on loopback (npm start's default): a browser on
 * another machine would read "localhost" as itself, so the loopback host is replaced by the host
 * name the browser used to reach the dashboard, keeping the API's scheme and port.
 */
const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** `pageHost`: the Host the browser sent the dashboard (name and port), or null when unknown. */
export function browserApiUrl(serverUrl: string, pageHost: string | null, explicit?: string | null): string {
  if (explicit) return explicit;
  if (!pageHost) return serverUrl;
  let api: URL;
  let page: URL;
  try {
    api = new URL(serverUrl);
    page = new URL(`http://${pageHost}`);
  } catch {
    return serverUrl;
  }
  if (!isLoopbackHost(api.hostname) || isLoopbackHost(page.hostname)) return serverUrl;
  api.hostname = page.hostname;
  return api.toString();
}
