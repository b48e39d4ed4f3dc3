import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { ApiProvider } from '../components/ApiProvider';
import { TokenControl } from '../components/TokenControl';
import { apiUrls } from './apiUrls';
import './globals.css';

export const metadata: Metadata = {
  title: 'Guidance Lab',
  description: 'Launch and compare classifier and classifier-free guidance sweeps.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Read at request time, so one build serves any API location (the browser test picks a free port)
  // and a browser on another machine is sent to the API by the name it reached the dashboard with.
  await connection();
  const { browser: apiUrl } = await apiUrls();
  return (
    <html lang="en">
      <body>
        <ApiProvider url={apiUrl}>
          <a className="skip" href="#main">
            Skip to content
          </a>
          <header className="site-header">
            <Link href="/" className="brand">
              Guidance Lab
            </Link>
            <nav aria-label="Main">
              <Link href="/">Sweeps</Link>
              <Link href="/launch">Launch a sweep</Link>
            </nav>
            <TokenControl />
          </header>
          <main id="main">{children}</main>
        </ApiProvider>
      </body>
    </html>
  );
}
