/**
 * Reads one Python version's sources through two roots (docs and CPython source, each a URL or a folder) and
 * builds its dataset. The roots do the I/O; everything else here is the parsers and assembleApi.
 */
import path from 'node:path';
import { VersionDataset } from '../../src/schema/version-dataset.ts';
import type { SourceFile } from '../../src/schema/source.ts';
import type { Api } from '../../src/schema/api.ts';
import { RuntimeProbes } from '../../src/schema/runtime.ts';
import { assembleApi, type ApiInputs } from './assemble-api.ts';
import { locationOf, readHeaderFacts, undocumentedEntries, type HeaderFacts } from './header-apis.ts';
import type { MacroSignature } from './macro-signature.ts';
import { readHeaders } from './read-headers.ts';
import { loadCParser } from './c-parser.ts';
import { findProseTwin, inferOwnership } from './infer-ownership.ts';
import { carryCalleeErrors } from './error-convention.ts';
import { apiLocation } from './api-location.ts';
import { freersByAllocator } from '../sources/free-with.ts';
import { SourceError } from './errors.ts';
import { compareNames } from './json-output.ts';
import type { FetchedFile, SourceRoot } from './source-root.ts';
import { findLinkedPages, parseDocsPage, type DocsEntry } from '../sources/docs-html.ts';
import { parseWholeRefcountsDat } from '../sources/refcounts-dat.ts';
import type { LocatedHandReading } from '../sources/hand-readings.ts';
import { parseLimitedApiList } from '../sources/limited-api-list.ts';
import { parseStableAbiDat, parseStableAbiToml, type StableAbiEntry } from '../sources/stable-abi.ts';

export interface ScrapeOptions {
  version: string;
  docs: SourceRoot;
  src: SourceRoot;
  /** Local locations are recorded relative to this folder, so the dataset does not depend on where it was made. */
  relativeTo: string;
  /** Where runtime/X.Y.json, the probes' measurements, may be (the repository's data/ folder); none for a version is normal. */
  runtime?: SourceRoot;
  /** The project's hand readings of APIs no parser types (scripts/sources/hand-readings.toml). */
  handReadings: ReadonlyMap<string, LocatedHandReading>;
}

const REFCOUNTS = 'Doc/data/refcounts.dat';
const STABLE_ABI_DAT = 'Doc/data/stable_abi.dat';
const STABLE_ABI_TOML = 'Misc/stable_abi.toml';

export async function scrapeVersion(options: ScrapeOptions): Promise<VersionDataset> {
  const { version, docs, src } = options;
  const displayLocation = (location: string): string =>
    /^https?:/.test(location) ? location : path.relative(options.relativeTo, location).split(path.sep).join('/');
  const sources: SourceFile[] = [];
  const record = (role: SourceFile['role'], file: string, fetched: FetchedFile | null, release: string | null): void => {
    const root = role === 'docs-page' ? docs : role === 'runtime-probes' ? options.runtime! : src;
    sources.push({
      role,
      file,
      location: displayLocation(fetched?.location ?? `${root.base}${file}`),
      status: fetched ? 'read' : 'missing',
      release,
      sha256: fetched?.sha256 ?? null,
    });
  };

  const runtimeFileName = `runtime/${version}.json`;
  const [pages, headerSet, refcountsFile, stableAbiDatFile, stableAbiTomlFile, runtimeFile] = await Promise.all([
    crawlDocs(docs),
    readHeaders(src),
    src.read(REFCOUNTS),
    src.read(STABLE_ABI_DAT),
    src.read(STABLE_ABI_TOML),
    options.runtime?.read(runtimeFileName) ?? Promise.resolve(null),
  ]);

  const entries = new Map<string, { entry: DocsEntry; page: string }>();
  let docsRelease: string | null = null;
  for (const [page, fetched] of pages) {
    if (!fetched) {
      record('docs-page', `c-api/${page}`, null, null);
      continue;
    }
    const parsed = parseDocsPage(fetched.text, displayLocation(fetched.location));
    docsRelease ??= parsed.release;
    record('docs-page', `c-api/${page}`, fetched, parsed.release);
    for (const entry of parsed.entries) {
      // The same object documented twice: the first page in name order keeps it, so output is stable.
      if (!entries.has(entry.name)) entries.set(entry.name, { entry, page });
    }
  }
  if (entries.size === 0) {
    throw new SourceError(`${docs.base}c-api/`, 'found no documented C objects in any page', 'Check that the docs root is a rendered CPython documentation tree (it should contain c-api/index.html and c-api/list.html).');
  }

  for (const [header, file] of headerSet?.files ?? []) record('header', header, file, null);
  if (!headerSet) record('header', 'Include/Python.h', null, null);
  const headers = headerSet ? readHeaderFacts(headerSet, await loadCParser()) : null;

  const refcountsLocation = refcountsFile ? displayLocation(refcountsFile.location) : '';
  const refcounts = refcountsFile ? parseWholeRefcountsDat(refcountsFile.text, refcountsLocation) : new Map();
  record('refcounts.dat', REFCOUNTS, refcountsFile, null);
  const stableAbiDat = stableAbiDatFile ? parseStableAbiDat(stableAbiDatFile.text, displayLocation(stableAbiDatFile.location)) : null;
  record('stable_abi.dat', STABLE_ABI_DAT, stableAbiDatFile, null);
  const stableAbiToml = stableAbiTomlFile ? parseStableAbiToml(stableAbiTomlFile.text, displayLocation(stableAbiTomlFile.location)) : null;
  record('stable_abi.toml', STABLE_ABI_TOML, stableAbiTomlFile, null);

  const runtimeLocation = runtimeFile ? displayLocation(runtimeFile.location) : '';
  const runtime = runtimeFile ? parseRuntimeProbes(runtimeFile.text, runtimeLocation, version) : null;
  if (options.runtime) record('runtime-probes', runtimeFileName, runtimeFile, runtime?.python.version ?? null);
  const probes = new Map((runtime?.probes ?? []).map((probe) => [probe.name, probe]));

  const stablePage = pages.get('stable.html');
  const limitedApiList = stablePage ? parseLimitedApiList(stablePage.text, displayLocation(stablePage.location)) : null;

  const stableAbiFileEntry = (name: string): { entry: StableAbiEntry; source: 'stable_abi.dat' | 'stable_abi.toml' } | undefined => {
    const fromDat = stableAbiDat?.get(name);
    if (fromDat) return { entry: fromDat, source: 'stable_abi.dat' };
    const fromToml = stableAbiToml?.get(name);
    return fromToml ? { entry: fromToml, source: 'stable_abi.toml' } : undefined;
  };

  const proseTwins = new Map<string, string>();
  for (const { entry } of entries.values()) {
    const twin = findProseTwin(entry.prose);
    if (twin) proseTwins.set(entry.name, twin);
  }
  const pageUrlOf = (page: string): string => `https://docs.python.org/${version}/c-api/${page}`;
  const freers = freersByAllocator([...entries.values()].map(({ entry, page }) => ({ name: entry.name, prose: entry.prose, location: `${pageUrlOf(page)}#${entry.anchor}` })));
  const inputsFor = (entry: DocsEntry, pageUrl: string | null, header: ApiInputs['header']): ApiInputs => ({
    entry,
    pageUrl,
    header,
    refcounts: refcounts.get(entry.name),
    refcountsLocation,
    stableAbiFile: stableAbiFileEntry(entry.name),
    limitedApiListed: limitedApiList?.has(entry.name) ?? false,
    runtime: probes.has(entry.name) ? { probe: probes.get(entry.name)!, location: runtimeLocation } : undefined,
    freers,
  });
  // A hand reading exists because the macro reader cannot read that definition: it replaces the reader there.
  const { handReadings } = options;
  const macros = new Map([...(headers?.macros ?? [])].filter(([name]) => !handReadings.has(name)));
  const documented = [...entries.values()].map(({ entry, page }) =>
    inputsFor(entry, pageUrlOf(page), headerFor(headers, macros, entry.name, false)),
  );
  const undocumented = headers
    ? undocumentedEntries(headers, new Set(entries.keys())).map(({ entry }) => inputsFor(entry, null, headerFor(headers, macros, entry.name, true)))
    : [];
  const assembled: Api[] = [...documented, ...undocumented].map(assembleApi).sort((a, b) => compareNames(a.name, b.name));
  const apis = carryCalleeErrors(
    inferOwnership(assembled, { proseTwins, macros, handReadings }),
    (api) => {
      const gives = macros.get(api.name)?.returns?.passedTo;
      return gives?.index === 'returns' ? gives.callee : undefined;
    },
    apiLocation,
  );

  sources.sort((a, b) => compareNames(a.role, b.role) || compareNames(a.file, b.file));
  const coverage = {
    refcountsDat: refcountsFile !== null,
    headers: headerSet !== null,
    stableAbi: stableAbiDatFile !== null || stableAbiTomlFile !== null || apis.some((api) => api.stableAbi !== null),
    threadSafety: apis.some((api) => api.threadSafety !== null),
  };
  const dataset = { version, coverage, sources, apis };
  const checked = VersionDataset.safeParse(dataset);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const where = issue.path[0] === 'apis' && typeof issue.path[1] === 'number' ? apis[issue.path[1]]?.name : undefined;
    throw new SourceError(
      `${version} dataset${where ? ` (${where})` : ''}`,
      `the assembled record does not match the schema at ${issue.path.join('.')}: ${issue.message}`,
      'This is a bug in the pipeline or an unexpected docs shape; fix the parser that produced the field.',
    );
  }
  return checked.data;
}

/** The header side of an API's inputs; an undocumented API also takes its declaration from the header. */
function headerFor(headers: HeaderFacts | null, macros: ReadonlyMap<string, MacroSignature>, name: string, undocumented: boolean): ApiInputs['header'] {
  const declaration = headers?.declarations.get(name.split('.').at(-1)!);
  if (!declaration) return undefined;
  return {
    location: locationOf(declaration),
    declaration: undocumented ? { returnType: declaration.kind === 'data' ? null : declaration.returnType ?? (declaration.params ? '' : null), params: declaration.params } : null,
    macro: macros.get(name.split('.').at(-1)!) ?? null,
  };
}

function parseRuntimeProbes(text: string, location: string, version: string): RuntimeProbes {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SourceError(location, `is not valid JSON (${(cause as Error).message})`, 'Regenerate it with npm run probe.', { cause });
  }
  const parsed = RuntimeProbes.safeParse(json);
  if (!parsed.success || parsed.data.version !== version) {
    const problem = parsed.success ? `holds version ${parsed.data.version}, expected ${version}` : `does not match the runtime schema at ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`;
    throw new SourceError(location, problem, 'Regenerate it with npm run probe.');
  }
  return parsed.data;
}

/** Reads c-api/index.html and every C-API page reachable from it; a missing page is recorded, not fatal. */
async function crawlDocs(docs: SourceRoot): Promise<Map<string, FetchedFile | null>> {
  const index = await docs.read('c-api/index.html');
  if (!index) {
    throw new SourceError(`${docs.base}c-api/index.html`, 'the C-API index page is missing', 'Point --docs at a documentation root that contains c-api/index.html (e.g. https://docs.python.org/3.13/ or ../shared/cpython/3.13/docs/).');
  }
  const pages = new Map<string, FetchedFile | null>([['index.html', index]]);
  let frontier = findLinkedPages(index.text).filter((page) => !pages.has(page));
  while (frontier.length > 0) {
    const fetched = await Promise.all(frontier.map((page) => docs.read(`c-api/${page}`)));
    const next = new Set<string>();
    frontier.forEach((page, i) => {
      const file = fetched[i] ?? null;
      pages.set(page, file);
      for (const linked of file ? findLinkedPages(file.text) : []) if (!pages.has(linked)) next.add(linked);
    });
    frontier = [...next].filter((page) => !pages.has(page));
  }
  return new Map([...pages].sort(([a], [b]) => compareNames(a, b)));
}
