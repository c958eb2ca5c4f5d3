// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';

/**
 * The public address of the site, for canonical URLs and the sitemap.
 * SITE_URL overrides it (e.g. SITE_URL=https://example.github.io/capi-refs for a project page).
 */
export const DEFAULT_SITE_URL = 'https://capi-refs.org';

export default defineConfig({
  site: process.env.SITE_URL || DEFAULT_SITE_URL,
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'always' },
  compressHTML: true,
  integrations: [mdx(), sitemap()],
  markdown: { shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } } },
  devToolbar: { enabled: false },
  prefetch: false,
});
