import { describe, expect, it } from 'vitest';
import { browserApiUrl } from './apiUrl';

describe('browserApiUrl', () => {
  const api = 'http://127.0.0.1:4000/graphql';
  it('keeps a loopback API for a browser on this machine', () => {
    expect(browserApiUrl(api, 'localhost:3000')).toBe(api);
    expect(browserApiUrl(api, '127.0.0.2:3000')).toBe(api);
    expect(browserApiUrl(api, '[::1]:3000')).toBe(api);
    expect(browserApiUrl(api, null)).toBe(api);
  });
  it("points a browser on another machine at the dashboard's host name, keeping the API's scheme and port", () => {
    expect(browserApiUrl(api, 'lab.example.org:3000')).toBe('http://lab.example.org:4000/graphql');
    expect(browserApiUrl('http://localhost:4000/graphql', '10.1.2.3')).toBe('http://10.1.2.3:4000/graphql');
    expect(browserApiUrl(api, '[fd00::5]:3000')).toBe('http://[fd00::5]:4000/graphql');
  });
  it('honours explicit settings: NEXT_PUBLIC_API_URL as given, and an API_URL that is not on loopback', () => {
    expect(browserApiUrl(api, 'lab.example.org:3000', 'https://api.example.org/graphql')).toBe('https://api.example.org/graphql');
    expect(browserApiUrl('http://gpu-box:4000/graphql', 'lab.example.org:3000')).toBe('http://gpu-box:4000/graphql');
  });
  it('leaves a malformed Host alone', () => {
    expect(browserApiUrl(api, 'bad host:x')).toBe(api);
  });
});
