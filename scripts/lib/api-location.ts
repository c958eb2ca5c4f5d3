import type { Api } from '../../src/schema/api.ts';

/** Where to read about an API: its docs anchor, or for an undocumented one the header that declares it. */
export function apiLocation(api: Pick<Api, 'name' | 'docsUrl' | 'header'>): string {
  if (api.docsUrl) return api.docsUrl;
  return api.header ? `${api.header.file}:${api.header.line}` : api.name;
}
