/**
 * Takes the README's screenshots of the built site (dist/): the home page and /api/PyList_SetItem/, light and dark,
 * with Debian's Chromium. Run `npm run build` first.
 *
 *   npm run capture-screenshots
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { REPO_ROOT } from './lib/paths.ts';
import { serveSite } from './serve-site.ts';

const PORT = 4399;
const PAGES = [
  { slug: 'home', url: '/' },
  { slug: 'api-PyList_SetItem', url: '/api/PyList_SetItem/' },
];
const OUT = path.join(REPO_ROOT, 'docs', 'screenshots');

const server = await serveSite(path.join(REPO_ROOT, 'dist'), PORT);
try {
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1200, height: 1000 } });
    for (const { slug, url } of PAGES) {
      await page.goto(`http://127.0.0.1:${PORT}${url}`, { waitUntil: 'networkidle' });
      await page.screenshot({ path: path.join(OUT, `${slug}-${colorScheme}.png`) });
    }
    await page.close();
  }
  await browser.close();
  console.error(`wrote ${PAGES.length * 2} screenshots to docs/screenshots/`);
} finally {
  server.closeAllConnections();
  server.close();
}
