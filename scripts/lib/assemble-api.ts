/**
 * Combines what each source says about one API into its dataset record: the ownership of its return and of each
 * parameter, with the evidence behind each value and the conflicts between sources. Pure.
 *
 * Which source wins, field by field (the reasons are written into every conflict):
 * - a return: the docs' annotation, then the prose, then refcounts.dat (the annotation is built from
 *   refcounts.dat when the docs are rendered, so disagreement between those two means the release moved on);
 * - a parameter: the prose, then refcounts.dat, whose 0/+1/-1 counts are known to miss most steals.
 */
import { ChangeKind, type Api, type HeaderLocation, type Param } from '../../src/schema/api.ts';
import type { Conflict, Evidence, EvidenceSource } from '../../src/schema/evidence.ts';
import type { Confidence, ParamOwnership, ReturnOwnership } from '../../src/schema/ownership.ts';
import type { RuntimeProbe } from '../../src/schema/runtime.ts';
import type { StableAbi } from '../../src/schema/stable-abi.ts';
import { isObjectArray, isObjectPointer, isObjectPointerPointer, parseDeclaration, type CDeclaration, type CParam } from './c-declaration.ts';
import type { MacroReading, MacroSignature } from './macro-signature.ts';
import { decideErrors } from './error-convention.ts';
import { paramField } from './api-fields.ts';
import { apiLocation, headerLocationText } from './api-location.ts';
import type { DocsEntry } from '../sources/docs-html.ts';
import { findProseOwnership } from '../sources/docs-prose.ts';
import { findReturnValues } from '../sources/return-values.ts';
import { findCallSemantics } from '../sources/call-semantics.ts';
import { findFreeWith, type Freer } from '../sources/free-with.ts';
import type { RefcountEntry, RefcountSlot } from '../sources/refcounts-dat.ts';
import type { StableAbiEntry } from '../sources/stable-abi.ts';

export interface ApiInputs {
  /** The docs' entry; for an undocumented API, one made from its header declaration. */
  entry: DocsEntry;
  /** https://docs.python.org/X.Y/c-api/page.html; null for an API the docs do not describe. */
  pageUrl: string | null;
  /** What the public headers say: where it is declared, the declaration itself when the docs give none, and a macro's reading. */
  header: { location: HeaderLocation; declaration: CDeclaration | null; macro: MacroSignature | null } | undefined;
  refcounts: RefcountEntry | undefined;
  /** Where refcounts.dat was read from, for evidence locations. */
  refcountsLocation: string;
  stableAbiFile: { entry: StableAbiEntry; source: StableAbi['source'] } | undefined;
  /** Whether the docs' "Contents of Limited API" list of this version names it. */
  limitedApiListed: boolean;
  /** What the runtime probe of this API measured, and where its results file is. */
  runtime: { probe: RuntimeProbe; location: string } | undefined;
  /** The freeing function of each allocator this version's docs name (PyMem_Malloc → PyMem_Free). */
  freers: ReadonlyMap<string, Freer>;
}

interface Candidate<Value extends string> {
  source: EvidenceSource;
  value: Value;
  location: string;
  raw?: string;
}

function refcountReturn(slot: RefcountSlot): ReturnOwnership | null {
  if (slot.refcount === '+1') return 'new';
  if (slot.refcount === '0') return 'borrowed';
  if (slot.refcount === 'null') return 'always-null';
  return null;
}

function refcountParam(slot: RefcountSlot, type: string): ParamOwnership | null {
  if (isObjectPointerPointer(type)) {
    // On a PyObject ** the file's 0 is used both for borrowed outputs (PyDict_Next) and for outputs it never
    // described properly (PyErr_Fetch); +1 is always a new reference written out.
    if (slot.refcount === '+1') return 'out-new';
    if (slot.refcount === '0') return 'out-borrowed';
    return null;
  }
  if (/\bstolen\b/i.test(slot.comment)) return 'stolen';
  if (slot.refcount === '-1') return 'stolen';
  // +1 on an argument means the callee takes a reference of its own: the caller's is untouched.
  if (slot.refcount === '0' || slot.refcount === '+1') return 'borrowed';
  return null;
}

function rawOf(slot: RefcountSlot): string {
  return slot.comment === '' ? slot.refcount : `${slot.refcount} (${slot.comment})`;
}

export const DEPRECATION_WHY = 'the docs name it as the replacement when deprecating this API';

const WHY: Record<string, string> = {
  runtime: 'The runtime measurement is kept: it observes what the call does on a real CPython build.',
  returns: "The docs' return annotation is kept: it is what the rendered reference states for this release.",
  'returns:docs-prose': "The docs' prose is kept over refcounts.dat: it states the return explicitly for this release.",
  params: "The docs' prose is kept: refcounts.dat's counts do not record steals reliably.",
};

/** The confidence of a value decided from candidates: a measurement that agrees with the value confirms it. */
function confidenceOf(candidates: Candidate<string>[], value: string): Confidence {
  return candidates.some((candidate) => candidate.source === 'runtime' && candidate.value === value) ? 'runtime-confirmed' : 'documented';
}

function decide<Value extends string>(
  field: string,
  candidates: Candidate<Value>[],
  evidence: Evidence[],
  conflicts: Conflict[],
): Value | null {
  for (const candidate of candidates) {
    evidence.push({
      field,
      source: candidate.source,
      value: candidate.value,
      location: candidate.location,
      ...(candidate.raw === undefined ? {} : { raw: candidate.raw }),
    });
  }
  const [first] = candidates;
  if (!first) return null;
  if (candidates.some((candidate) => candidate.value !== first.value)) {
    const reason =
      first.source === 'runtime' ? WHY['runtime']
      : field === 'returns' ? (first.source === 'docs-annotation' ? WHY['returns'] : WHY['returns:docs-prose'])
      : WHY['params'];
    conflicts.push({
      field,
      values: candidates.map(({ source, value }) => ({ source, value })),
      chosen: first.value,
      reason: reason!,
    });
  }
  return first.value;
}

function matchRefcountParams(params: CParam[], refcounts: RefcountEntry | undefined): (RefcountSlot | undefined)[] {
  if (!refcounts) return params.map(() => undefined);
  const byName = new Map(refcounts.params.map((param) => [param.name, param]));
  const sameLength = refcounts.params.length === params.length;
  // refcounts.dat names parameters as the docs did when the line was written; fall back to position when they drift.
  return params.map((param, index) => byName.get(param.name) ?? (sameLength ? refcounts.params[index] : undefined));
}

function carriesObject(reading: MacroReading): boolean {
  return reading.role === 'value' && (isObjectPointer(reading.type) || isObjectPointerPointer(reading.type) || isObjectArray(reading.type));
}

/**
 * A macro's reading from the headers, for a return or parameter the docs leave untyped: its type, and for a value
 * that is not an object, that ownership with its evidence. null ownership: an object, or nothing known.
 */
function fromMacroReading(field: string, reading: MacroReading | null | undefined, headerLocation: HeaderLocation | undefined, evidence: Evidence[]): { type: string; notObject: boolean } | null {
  if (!reading || !headerLocation || (reading.role === 'value' && reading.type === '')) return null;
  const isObject = carriesObject(reading);
  if (!isObject) evidence.push({ field, source: 'header', value: 'no-object', location: headerLocationText(headerLocation), raw: reading.how });
  return { type: reading.type, notObject: !isObject };
}

/** A macro that reads an object's member lends that object's reference, whether or not the docs type it. */
function memberLoan(reading: MacroReading | null | undefined, headerLocation: HeaderLocation | undefined): Candidate<'borrowed'> | null {
  if (!reading?.borrowedMember || !headerLocation || !isObjectPointer(reading.type)) return null;
  return { source: 'header', value: 'borrowed', location: headerLocationText(headerLocation), raw: reading.how };
}

export function assembleApi(inputs: ApiInputs): Api {
  const { entry, pageUrl, refcounts, refcountsLocation, runtime, header } = inputs;
  const docsUrl = pageUrl === null ? null : `${pageUrl}#${entry.anchor}`;
  const leafName = entry.name.split('.').at(-1)!;
  const declaration = header?.declaration ?? parseDeclaration(entry.signature, leafName);
  const evidence: Evidence[] = [];
  const conflicts: Conflict[] = [];
  const callable = declaration.params !== null && (entry.kind === 'function' || entry.kind === 'macro');
  const declaredParams = callable ? declaration.params! : [];
  const prose = findProseOwnership(entry.prose, declaredParams);
  // Evidence from the docs points at the docs; an undocumented API's only page is its header.
  const docsLocation = apiLocation({ name: entry.name, docsUrl, header: header?.location ?? null });

  let returns: Api['returns'] = null;
  if (callable) {
    const fromHeader = declaration.returnType === '' ? fromMacroReading('returns', header?.macro?.returns, header?.location, evidence) : null;
    const type = fromHeader?.type ?? declaration.returnType ?? '';
    let ownership: ReturnOwnership | null = 'no-object';
    let confidence: Confidence = 'documented';
    // A macro documented without a return type may still hand out a reference; only the sources can say.
    if (!fromHeader?.notObject && (isObjectPointer(type) || isObjectPointerPointer(type) || type === '')) {
      const candidates: Candidate<ReturnOwnership>[] = [];
      const measured = runtime?.probe.returns?.value;
      if (measured) candidates.push({ source: 'runtime', value: measured, location: `${runtime!.location}#${entry.name}`, raw: runtime!.probe.returns!.detail });
      if (entry.returnAnnotation) candidates.push({ source: 'docs-annotation', value: entry.returnAnnotation, location: docsLocation });
      if (prose.returns && type !== '') {
        candidates.push({ source: 'docs-prose', value: prose.returns.value, location: docsLocation, raw: prose.returns.rule });
      }
      const fromFile = refcounts ? refcountReturn(refcounts.returns) : null;
      if (fromFile && refcounts) {
        candidates.push({ source: 'refcounts.dat', value: fromFile, location: `${refcountsLocation}:${refcounts.returns.line}`, raw: rawOf(refcounts.returns) });
      }
      const loan = memberLoan(header?.macro?.returns, header?.location);
      if (loan) candidates.push(loan);
      ownership = decide('returns', candidates, evidence, conflicts);
      confidence = ownership === null ? 'unknown' : confidenceOf(candidates, ownership);
    } else if (entry.returnAnnotation === 'always-null') {
      ownership = 'always-null';
    }
    returns = ownership === null ? { type, ownership: 'unknown', confidence: 'unknown', borrowedFrom: null } : { type, ownership, confidence, borrowedFrom: null };
    // A result that is memory, not an object: the docs may say what frees it.
    const memory = ownership === 'no-object' && /\*\s*$/.test(type) && !isObjectPointerPointer(type);
    const freed = memory && entry.prose !== '' ? findFreeWith(entry.name, entry.prose, inputs.freers) : null;
    if (freed) {
      returns.freeWith = freed.freeWith;
      evidence.push({ field: 'returns.freeWith', source: 'docs-prose', value: freed.freeWith, location: freed.statedAt ?? docsLocation, raw: freed.rule });
    }
  }

  const refcountSlots = matchRefcountParams(declaredParams, refcounts);
  const params: Param[] = declaredParams.map((declared, index) => {
    const field = paramField(declared.name, index);
    const fromHeader = declared.type === '' ? fromMacroReading(field, header?.macro?.params[index], header?.location, evidence) : null;
    const param = fromHeader ? { ...declared, type: fromHeader.type } : declared;
    if (fromHeader?.notObject) return { name: param.name, type: param.type, ownership: 'no-object', confidence: 'documented' };
    const measured = runtime?.probe.params.find((candidate) => candidate.name === param.name && candidate.value !== null);
    // A parameter the probe measured carries objects whatever the docs wrote for its type (3.11 has 'PyUnicode *').
    const isObject = isObjectPointer(param.type) || isObjectPointerPointer(param.type) || isObjectArray(param.type) || measured !== undefined;
    if (!isObject && param.type !== '') return { name: param.name, type: param.type, ownership: 'no-object', confidence: 'documented' };
    const candidates: Candidate<ParamOwnership>[] = [];
    if (measured?.value) candidates.push({ source: 'runtime', value: measured.value, location: `${runtime!.location}#${entry.name}`, raw: measured.detail });
    const fromProse = prose.params.get(param.name);
    if (fromProse) candidates.push({ source: 'docs-prose', value: fromProse.value, location: docsLocation, raw: fromProse.rule });
    const slot = refcountSlots[index];
    const fromFile = slot ? refcountParam(slot, param.type === '' ? slot.type : param.type) : null;
    if (fromFile && slot) {
      candidates.push({ source: 'refcounts.dat', value: fromFile, location: `${refcountsLocation}:${slot.line}`, raw: rawOf(slot) });
    }
    const ownership = decide(field, candidates, evidence, conflicts);
    return ownership === null
      ? { name: param.name, type: param.type, ownership: 'unknown', confidence: 'unknown' }
      : { name: param.name, type: param.type, ownership, confidence: confidenceOf(candidates, ownership) };
  });

  const errors = returns
    ? decideErrors(
        { name: entry.name, kind: entry.kind, returnType: returns.type, returnOwnership: returns.ownership, prose: entry.prose, location: docsLocation },
        evidence,
        conflicts,
        runtime?.probe.errors ? { ...runtime.probe.errors, location: `${runtime.location}#${entry.name}` } : undefined,
      )
    : null;

  const returnValues = returns && entry.prose !== '' ? findReturnValues(entry.prose, returns.type) : [];
  if (returnValues.length > 0) {
    evidence.push({ field: 'returnValues', source: 'docs-prose', value: returnValues.map((r) => `${r.value}=${r.means}`).join(' '), location: docsLocation, raw: 'return-values' });
  }

  // Only what is called has preconditions and side effects; only the docs' prose states them.
  const semantics = findCallSemantics(returns ? entry.prose : '', declaredParams);
  const factToken = (f: { kind: string; param?: string | undefined }) => (f.param === undefined ? f.kind : `${f.kind}:${f.param}`);
  if (semantics.preconditions.length > 0) {
    evidence.push({ field: 'preconditions', source: 'docs-prose', value: semantics.preconditions.map(factToken).join(' '), location: docsLocation, raw: semantics.preconditionRules.join(' ') });
  }
  if (semantics.sideEffects.length > 0) {
    evidence.push({ field: 'sideEffects', source: 'docs-prose', value: semantics.sideEffects.map(factToken).join(' '), location: docsLocation, raw: semantics.sideEffectRules.join(' ') });
  }

  const stableAbi: Api['stableAbi'] = entry.stableAbi
    ? { ...entry.stableAbi, source: 'docs-annotation' }
    : (stableAbiFromFile(inputs.stableAbiFile) ?? stableAbiFromList(entry.kind, inputs.limitedApiListed));

  return {
    name: entry.name,
    kind: entry.kind,
    documented: docsUrl !== null,
    docsUrl,
    header: header?.location ?? null,
    signature: entry.signature,
    returns,
    params,
    errors,
    returnValues,
    preconditions: semantics.preconditions,
    sideEffects: semantics.sideEffects,
    stableAbi,
    threadSafety: entry.threadSafety ? { level: entry.threadSafety } : null,
    added: entry.added ? { version: entry.added } : null,
    changed: changesByVersion(entry.changed),
    deprecated: entry.deprecated,
    removed: entry.removed ? { version: entry.removed } : null,
    // Versions and reasons are filled in once every version is known (scripts/lib/replacements.ts).
    replacements: entry.replacedBy.map((name) => ({ name, since: null, why: DEPRECATION_WHY, source: 'docs-deprecation' as const })),
    unstable: entry.unstable || entry.name.startsWith('PyUnstable_'),
    evidence,
    conflicts,
  };
}

/**
 * Used only where neither the entry's annotation nor a file says: the docs' "Contents of Limited API" names it.
 * A macro there is one an extension may use under the Limited API, as stable_abi.dat's macros are.
 */
function stableAbiFromList(kind: Api['kind'], listed: boolean): StableAbi | null {
  if (!listed) return null;
  return { since: '3.2', scope: kind === 'macro' ? 'macro' : 'stable-abi', struct: null, platform: null, slotId: null, source: 'docs-limited-api-list' };
}

/** One note per version, its kinds merged in ChangeKind's order (a version may have several notes). */
function changesByVersion(notes: DocsEntry['changed']): Api['changed'] {
  const byVersion = new Map<string, Set<string>>();
  for (const note of notes) {
    const kinds = byVersion.get(note.version) ?? new Set();
    for (const kind of note.what) kinds.add(kind);
    byVersion.set(note.version, kinds);
  }
  return [...byVersion].map(([version, kinds]) => {
    const what = ChangeKind.options.filter((kind) => kinds.has(kind));
    // 'other' only when nothing more specific was said in any note of that version.
    return { version, what: what.length > 1 ? what.filter((kind) => kind !== 'other') : what };
  });
}

/** Used only where the docs carry no annotation: the files list items the docs may not mark. */
function stableAbiFromFile(file: ApiInputs['stableAbiFile']): StableAbi | null {
  if (!file || file.entry.abiOnly || file.entry.role === 'feature_macro') return null;
  const { entry, source } = file;
  return {
    since: entry.added,
    scope: entry.role === 'macro' || entry.role === 'const' ? 'macro' : 'stable-abi',
    struct:
      entry.structAbiKind === 'full-abi' ? 'all-members'
      : entry.structAbiKind === 'opaque' ? 'opaque'
      : entry.structAbiKind === 'members' ? 'some-members'
      : null,
    platform: entry.ifdef,
    slotId: null,
    source,
  };
}
