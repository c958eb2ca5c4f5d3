import type { Api, HeaderLocation } from '../../src/schema/api.ts';

/** 'Include/listobject.h:23', as evidence locations write a header. */
export function headerLocationText(header: HeaderLocation): string {
  return `${header.file}:${header.line}`;
}

/** Where to read about an API: its docs anchor, or for an undocumented one the header that declares it. */
export function apiLocation(api: Pick<Api, 'name' | 'docsUrl' | 'header'>): string {
  if (api.docsUrl) return api.docsUrl;
  return api.header ? headerLocationText(api.header) : api.name;
}
