// Generated from the zod schemas in src/schema by scripts/build-package.ts; do not edit.
// The data contract of capi-refs as plain TypeScript types (no zod needed).

/** A Python version, 'X.Y' (or 'X.Y.Z' where the docs name a bug-fix release). */
export type PythonVersion = string;

/** A Python feature release, 'X.Y'. */
export type MinorVersion = string;

/** Who owns the returned value. new: the caller owns a strong reference and must release it (Py_DECREF). borrowed: the caller must not release it; it stays valid only while its lender keeps it. always-null: the function always returns NULL (with an exception set). no-object: the return value is not an object reference. unknown: no source says. */
export type ReturnOwnership = "new" | "borrowed" | "always-null" | "no-object" | "unknown";

/** What the call does with the reference passed in. borrowed: the caller keeps its reference. stolen: the call takes over the reference, whether it succeeds or fails. stolen-on-success: the call takes over the reference only when it succeeds; on failure the caller still owns it. out-new / out-borrowed: a PyObject ** output that receives a new / borrowed reference. in-out: a PyObject ** that holds a reference the caller owns; the call releases it and stores a new reference (or NULL on failure) in its place, as PyUnicode_Append and PyBytes_Concat do. no-object: the parameter is not an object reference. unknown: no source says. */
export type ParamOwnership = "borrowed" | "stolen" | "stolen-on-success" | "out-new" | "out-borrowed" | "in-out" | "no-object" | "unknown";

/** How the ownership value is known. runtime-confirmed: measured by calling the function on a real CPython build (the runtime evidence names it); where a source disagrees, the measurement is kept and the conflict listed. documented: a CPython source of this version states it (the docs, or refcounts.dat), or the declaration shows the value is not an object. carried: this version's sources are silent and the nearest version that documents the same API and type states it. inferred: no source states it; one of the project's written-down inference rules gave it (the evidence names the rule). unknown: nothing says. */
export type Confidence = "runtime-confirmed" | "documented" | "carried" | "inferred" | "unknown";

/** The docs' thread-safety level for free-threaded builds. incompatible: not safe to call from several threads at all. compatible: safe with external synchronization only. distinct: safe on distinct objects. shared: safe on a shared object, with the caveats the docs give. atomic: behaves as one atomic operation. */
export type ThreadSafetyLevel = "incompatible" | "compatible" | "distinct" | "shared" | "atomic";

export type ThreadSafety = {
  /** The docs' thread-safety level for free-threaded builds. incompatible: not safe to call from several threads at all. compatible: safe with external synchronization only. distinct: safe on distinct objects. shared: safe on a shared object, with the caveats the docs give. atomic: behaves as one atomic operation. */
  level: ThreadSafetyLevel;
};

export type StableAbi = {
  /** First version whose Stable ABI / Limited API has it (3.2 when the docs give no version). */
  since: string;
  /** stable-abi: part of the Stable ABI. limited-api-only: part of the Limited API but not (or not all of it) of the Stable ABI. macro: a macro available when compiling for the Stable ABI. slot: documented through its PyType_Slot ID. */
  scope: "stable-abi" | "limited-api-only" | "macro" | "slot";
  /** For structs: how much of the layout is part of it. */
  struct: "all-members" | "opaque" | "some-members" | "see-below" | null;
  /** A platform condition, e.g. 'on Windows', 'on platforms with fork()'. */
  platform: string | null;
  /** For slot: the slot ID, e.g. Py_tp_repr. */
  slotId: string | null;
  /** Where it is stated: the entry's own annotation in the docs, Misc/stable_abi.dat or .toml, or the docs' 'Contents of Limited API' list (c-api/stable.html) where neither the entry nor a file says so; a listed name takes its since from the latest earlier version that states one, else 3.2. */
  source: "docs-annotation" | "stable_abi.dat" | "stable_abi.toml" | "docs-limited-api-list";
};

/** Where a value came from: a measurement on a real CPython build (data/runtime/X.Y.json, which names the build), CPython's Doc/data/refcounts.dat, the docs' 'Return value: …' annotation, an ownership statement in the docs' prose (e.g. a steal), the definition in the public headers (for a macro the docs leave untyped: what its replacement text shows a parameter or result to be, raw saying how), or one of this project's written-down inference rules (raw names the rule; see scripts/lib/infer-ownership.ts), used only where no source states a value. */
export type EvidenceSource = "runtime" | "refcounts.dat" | "docs-annotation" | "docs-prose" | "header" | "inference";

export type Evidence = {
  /** The field the evidence is about: 'returns', 'params.<name>' ('params.<position>' for a parameter the docs leave unnamed), 'errors' (the error convention), 'returns.borrowedFrom' (what a borrowed return is borrowed from), 'returns.freeWith' (the function that frees a result that is memory), 'returnValues' (the values and what they mean, as '1=yes 0=no -1=error'), 'preconditions' or 'sideEffects' (each fact as kind or kind:param, as 'not-null:o thread-state'). */
  field: string;
  /** Where a value came from: a measurement on a real CPython build (data/runtime/X.Y.json, which names the build), CPython's Doc/data/refcounts.dat, the docs' 'Return value: …' annotation, an ownership statement in the docs' prose (e.g. a steal), the definition in the public headers (for a macro the docs leave untyped: what its replacement text shows a parameter or result to be, raw saying how), or one of this project's written-down inference rules (raw names the rule; see scripts/lib/infer-ownership.ts), used only where no source states a value. */
  source: EvidenceSource;
  /** The value this source gives for the field (an ownership, an error convention, or a lender). */
  value: string;
  /** Where the source says it: a docs URL with anchor, or file:line. */
  location: string;
  /** The source's own token, where it differs from the value (a refcounts.dat effect such as '-1', or the prose rule that matched). */
  raw?: string;
};

export type Conflict = {
  /** The field the evidence is about: 'returns', 'params.<name>' ('params.<position>' for a parameter the docs leave unnamed), 'errors' (the error convention), 'returns.borrowedFrom' (what a borrowed return is borrowed from), 'returns.freeWith' (the function that frees a result that is memory), 'returnValues' (the values and what they mean, as '1=yes 0=no -1=error'), 'preconditions' or 'sideEffects' (each fact as kind or kind:param, as 'not-null:o thread-state'). */
  field: string;
  /** Each source and what it says, in order of trust. */
  values: {
    /** Where a value came from: a measurement on a real CPython build (data/runtime/X.Y.json, which names the build), CPython's Doc/data/refcounts.dat, the docs' 'Return value: …' annotation, an ownership statement in the docs' prose (e.g. a steal), the definition in the public headers (for a macro the docs leave untyped: what its replacement text shows a parameter or result to be, raw saying how), or one of this project's written-down inference rules (raw names the rule; see scripts/lib/infer-ownership.ts), used only where no source states a value. */
    source: EvidenceSource;
    value: string;
  }[];
  /** The value the dataset keeps for the field. */
  chosen: string;
  /** Why that value was kept, in our own words. */
  reason: string;
};

/** The docs' C domain kind. */
export type ApiKind = "function" | "macro" | "type" | "var" | "struct" | "member" | "enumerator";

/** How a call reports failure. null-with-exception: it returns NULL with an exception set. minus-one-with-exception: it returns -1 with an exception set. ambiguous-minus-one: -1 (or -1.0, or (unsigned)-1) is also a valid result, so a caller checks PyErr_Occurred() after getting it. zero-with-exception: it returns false (0) with an exception set (PyArg_ParseTuple). null-without-exception: NULL means failure or absence with no exception set (PyMem_Malloc, PySys_GetObject). status: it returns a PyStatus, which the caller tests with PyStatus_Exception() (the initialization API; no Python exception is involved). suppressed: errors inside the call are cleared and reported as an ordinary result (PyDict_GetItem, PyObject_HasAttr): the caller cannot tell them apart. cannot-fail: it always succeeds. unchecked: it checks nothing (most macros): wrong arguments are undefined behaviour, not an error. unknown: no source or rule says. */
export type ErrorConvention = "null-with-exception" | "minus-one-with-exception" | "ambiguous-minus-one" | "zero-with-exception" | "null-without-exception" | "status" | "suppressed" | "cannot-fail" | "unchecked" | "unknown";

export type Errors = {
  /** How a call reports failure. null-with-exception: it returns NULL with an exception set. minus-one-with-exception: it returns -1 with an exception set. ambiguous-minus-one: -1 (or -1.0, or (unsigned)-1) is also a valid result, so a caller checks PyErr_Occurred() after getting it. zero-with-exception: it returns false (0) with an exception set (PyArg_ParseTuple). null-without-exception: NULL means failure or absence with no exception set (PyMem_Malloc, PySys_GetObject). status: it returns a PyStatus, which the caller tests with PyStatus_Exception() (the initialization API; no Python exception is involved). suppressed: errors inside the call are cleared and reported as an ordinary result (PyDict_GetItem, PyObject_HasAttr): the caller cannot tell them apart. cannot-fail: it always succeeds. unchecked: it checks nothing (most macros): wrong arguments are undefined behaviour, not an error. unknown: no source or rule says. */
  convention: ErrorConvention;
  /** documented: the docs' prose states it; inferred: the C-API's stated default for the return type, or a rule (the evidence names it). */
  confidence: Confidence;
};

/** Where this version's public headers declare or define it (the first place, for names defined under several conditions). */
export type HeaderLocation = {
  /** The public header, e.g. 'Include/cpython/listobject.h'. */
  file: string;
  line: number;
};

/** What a borrowed return is borrowed from, so a caller knows how long it stays valid. */
export type BorrowedFrom = {
  /** argument: the reference belongs to an object the caller passed (the container, the module, the type); it stays valid while that object keeps it, so until the object changes or dies. interpreter: it belongs to interpreter or thread state (the current frame, exception, sys, sys.modules); it stays valid until that state changes. */
  lender: "argument" | "interpreter";
  /** The parameter that lends it, for lender argument. */
  param: string | null;
  /** How the ownership value is known. runtime-confirmed: measured by calling the function on a real CPython build (the runtime evidence names it); where a source disagrees, the measurement is kept and the conflict listed. documented: a CPython source of this version states it (the docs, or refcounts.dat), or the declaration shows the value is not an object. carried: this version's sources are silent and the nearest version that documents the same API and type states it. inferred: no source states it; one of the project's written-down inference rules gave it (the evidence names the rule). unknown: nothing says. */
  confidence: Confidence;
};

export type Returns = {
  /** The declared C return type, e.g. 'PyObject *'; for a macro the docs leave untyped, what its definition in the headers gives ('' when it does not say). */
  type: string;
  /** Who owns the returned value. new: the caller owns a strong reference and must release it (Py_DECREF). borrowed: the caller must not release it; it stays valid only while its lender keeps it. always-null: the function always returns NULL (with an exception set). no-object: the return value is not an object reference. unknown: no source says. */
  ownership: ReturnOwnership;
  /** How the ownership value is known. runtime-confirmed: measured by calling the function on a real CPython build (the runtime evidence names it); where a source disagrees, the measurement is kept and the conflict listed. documented: a CPython source of this version states it (the docs, or refcounts.dat), or the declaration shows the value is not an object. carried: this version's sources are silent and the nearest version that documents the same API and type states it. inferred: no source states it; one of the project's written-down inference rules gave it (the evidence names the rule). unknown: nothing says. */
  confidence: Confidence;
  /** Set for a borrowed return; null otherwise. */
  borrowedFrom: BorrowedFrom | null;
  /** For a result that is memory, not an object (a char *, a wchar_t *, a void *): the function the caller frees it with, as the docs of this version name it ('PyMem_Free', 'PyMem_RawFree', 'PyObject_Free'). Absent where the docs name none. */
  freeWith?: string;
};

export type Param = {
  /** The parameter's name as the docs give it; '...' for C varargs. */
  name: string;
  /** The declared C type, e.g. 'PyObject *'; '...' for varargs; for a macro the docs leave untyped, what its definition in the headers shows ('' for a type name or token). */
  type: string;
  /** What the call does with the reference passed in. borrowed: the caller keeps its reference. stolen: the call takes over the reference, whether it succeeds or fails. stolen-on-success: the call takes over the reference only when it succeeds; on failure the caller still owns it. out-new / out-borrowed: a PyObject ** output that receives a new / borrowed reference. in-out: a PyObject ** that holds a reference the caller owns; the call releases it and stores a new reference (or NULL on failure) in its place, as PyUnicode_Append and PyBytes_Concat do. no-object: the parameter is not an object reference. unknown: no source says. */
  ownership: ParamOwnership;
  /** How the ownership value is known. runtime-confirmed: measured by calling the function on a real CPython build (the runtime evidence names it); where a source disagrees, the measurement is kept and the conflict listed. documented: a CPython source of this version states it (the docs, or refcounts.dat), or the declaration shows the value is not an object. carried: this version's sources are silent and the nearest version that documents the same API and type states it. inferred: no source states it; one of the project's written-down inference rules gave it (the evidence names the rule). unknown: nothing says. */
  confidence: Confidence;
};

export type VersionNote = {
  /** A Python version, 'X.Y' (or 'X.Y.Z' where the docs name a bug-fix release). */
  version: string;
};

export type Deprecation = {
  /** A Python version, 'X.Y' (or 'X.Y.Z' where the docs name a bug-fix release). */
  version: string;
  /** The version the docs say it will be removed in, if any. */
  removalPlanned: string | null;
  /** A soft deprecation: kept, with no removal planned, but new code should not use it. */
  soft: boolean;
};

/** The docs still list the API but say it was removed in this version. */
export type Removal = {
  /** A Python version, 'X.Y' (or 'X.Y.Z' where the docs name a bug-fix release). */
  version: string;
};

export type Replacement = {
  /** The API to use instead. */
  name: string;
  /** The version that brought it (its docs version note, or the first dataset version that has it); null when every version of the dataset has it. */
  since: string | null;
  /** Why it is better, in a short phrase of our own. */
  why: string;
  /** docs-deprecation: the docs' deprecation note names it. hand: the project's list (packages/capi-refs/src/alternatives.ts). ref-twin: the same name with the Ref suffix, which returns a strong reference. */
  source: "docs-deprecation" | "hand" | "ref-twin";
};

/** One value of a call and its meaning, read from the docs' prose by this project's rules (scripts/sources/return-values.ts); the docs' words are not kept. */
export type ReturnValue = {
  /** A value the call returns, as the docs write it: '1', '0', '-1', 'NULL', 'true', 'false'. */
  value: string;
  /** What it tells the caller: success; error (the call failed); yes / no (the condition the call tests holds, or does not: found, true, a subtype...). */
  means: "success" | "error" | "yes" | "no";
};

/** What the caller must make true before the call. not-null: the parameter must not be NULL. type: the parameter must be an object of the type named in `type`. thread-state: the calling thread must hold the GIL (have an attached thread state). in-range: an index or size must be within bounds (the note says whether anything checks it). unchecked: the call checks nothing about its arguments, so they must already be valid. new-object-only: only for filling in a freshly created object that no other code has seen yet. */
export type PreconditionKind = "not-null" | "type" | "thread-state" | "in-range" | "unchecked" | "new-object-only";

/** A requirement the docs of this version state for a call, read from their prose by this project's rules (scripts/sources/call-semantics.ts). */
export type Precondition = {
  /** What the caller must make true before the call. not-null: the parameter must not be NULL. type: the parameter must be an object of the type named in `type`. thread-state: the calling thread must hold the GIL (have an attached thread state). in-range: an index or size must be within bounds (the note says whether anything checks it). unchecked: the call checks nothing about its arguments, so they must already be valid. new-object-only: only for filling in a freshly created object that no other code has seen yet. */
  kind: PreconditionKind;
  /** The parameter it is about, by its docs name; absent when it is about the call as a whole. */
  param?: string;
  /** For kind 'type': the Python type required, in short form ('list', 'tuple', 'dict', 'bytes', 'str', 'int', 'cell'...). */
  type?: string;
  /** The requirement in this project's own short words (the docs' sentences are not kept; the docs link has the rest). */
  note: string;
};

/** What a call does besides its result. releases-old-item: it drops the reference to the item it overwrites. leaks-old-item: it overwrites an item without releasing it (a reference stored there leaks). sets-error: it sets the error indicator (raises) as its job, not only on failure. clears-error: it clears the error indicator. suppresses-errors: exceptions raised on the way are swallowed. runs-python-code: it may run arbitrary Python code (__hash__, __eq__, __del__...), so anything may change meanwhile. in-place: it modifies the object it is given. invalidates: the parameter must not be used after the call. */
export type SideEffectKind = "releases-old-item" | "leaks-old-item" | "sets-error" | "clears-error" | "suppresses-errors" | "runs-python-code" | "in-place" | "invalidates";

/** An effect of a call the docs of this version state, read from their prose by this project's rules (scripts/sources/call-semantics.ts). */
export type SideEffect = {
  /** What a call does besides its result. releases-old-item: it drops the reference to the item it overwrites. leaks-old-item: it overwrites an item without releasing it (a reference stored there leaks). sets-error: it sets the error indicator (raises) as its job, not only on failure. clears-error: it clears the error indicator. suppresses-errors: exceptions raised on the way are swallowed. runs-python-code: it may run arbitrary Python code (__hash__, __eq__, __del__...), so anything may change meanwhile. in-place: it modifies the object it is given. invalidates: the parameter must not be used after the call. */
  kind: SideEffectKind;
  /** The parameter it is about, by its docs name; absent when it is about the call as a whole. */
  param?: string;
  /** The effect in this project's own short words (the docs' sentences are not kept; the docs link has the rest). */
  note: string;
};

export type Api = {
  /** The C name; members are 'Struct.member'. */
  name: string;
  /** The docs' C domain kind. */
  kind: ApiKind;
  /** Whether this version's docs describe it. An undocumented API is a public name the headers declare (PyAPI_FUNC, PyAPI_DATA, a static inline function or a macro, outside Include/internal/ and not underscored): usable, but the docs promise nothing about it. */
  documented: boolean;
  /** The docs.python.org page and anchor for this version; null when undocumented. */
  docsUrl: string | null;
  /** null when the public headers of this version do not declare it under this name (or were not read). */
  header: HeaderLocation | null;
  /** The C declaration as the docs show it; for an undocumented API, as the header declares it. */
  signature: string;
  /** null for anything that is not called (types, variables, members, object-like macros). */
  returns: Returns | null;
  /** In prototype order; a variadic '...' is a parameter too. Empty when not called. */
  params: Param[];
  /** How a call reports failure; null for anything that is not called. */
  errors: Errors | null;
  /** The values the docs' prose gives for the result, each with what it means; empty where the prose names none. */
  returnValues: ReturnValue[];
  /** What the caller must make true before the call, as this version's docs state it (read by this project's rules); empty where the prose states nothing the rules know. */
  preconditions: Precondition[];
  /** What the call does besides its result, as this version's docs state it (read by this project's rules); empty where the prose states nothing the rules know. */
  sideEffects: SideEffect[];
  stableAbi: StableAbi | null;
  threadSafety: ThreadSafety | null;
  added: VersionNote | null;
  /** The docs' 'Changed in version' notes, one per version. */
  changed: {
    /** A Python version, 'X.Y' (or 'X.Y.Z' where the docs name a bug-fix release). */
    version: string;
    /** What the notes of that version are about, in the order listed by ChangeKind. */
    what: ("signature" | "ownership" | "errors" | "stable-abi" | "deprecation" | "other")[];
  }[];
  deprecated: Deprecation | null;
  removed: VersionNote | null;
  /** What to use instead, for an API that is deprecated, returns a borrowed reference or steals: newest first. Empty when there is nothing to suggest. */
  replacements: Replacement[];
  /** Part of the Unstable C API (PyUnstable_*): may change in any feature release. */
  unstable: boolean;
  /** What each source says about each ownership field. */
  evidence: Evidence[];
  /** Fields on which sources disagree, and which value was kept. */
  conflicts: Conflict[];
};

export type SourceFile = {
  /** What the file is. */
  role: "docs-page" | "header" | "refcounts.dat" | "stable_abi.dat" | "stable_abi.toml" | "runtime-probes";
  /** The file's path under its root, e.g. 'c-api/list.html' or 'Doc/data/refcounts.dat'. */
  file: string;
  /** The URL, or the path relative to the repository, it was read from. */
  location: string;
  /** missing: the version does not have this file (normal for some versions). */
  status: "read" | "missing";
  /** The release the file comes from, where known (e.g. '3.13.18'). */
  release: string | null;
  /** Of the bytes read; null when missing. */
  sha256: string | null;
};

/** What the sources of this version can say at all, so that a consumer can tell "no" from "not recorded". */
export type Coverage = {
  /** Whether this version's refcounts.dat was read. */
  refcountsDat: boolean;
  /** Whether this version's public headers were read. When false, no undocumented API is listed and every header is null. */
  headers: boolean;
  /** Whether this version's sources record Stable ABI membership (docs annotations or stable_abi files). When false (3.9), every stableAbi is null because nothing says, not because the API is outside the Stable ABI. */
  stableAbi: boolean;
  /** Whether the docs of this version annotate thread safety (3.14 on). When false, every threadSafety is null. */
  threadSafety: boolean;
};

export type VersionDataset = {
  /** A Python feature release, 'X.Y'. */
  version: string;
  /** What the sources of this version can say at all, so that a consumer can tell "no" from "not recorded". */
  coverage: Coverage;
  /** Every file read (or looked for) to make this version, sorted by role then file. */
  sources: SourceFile[];
  /** Sorted by name. */
  apis: Api[];
};

export type ApiChange = {
  /** The first dataset version that shows the change. */
  version: string;
  /** documented / undocumented: the docs start / stop describing it (an undocumented API may still be in the headers). returns, param: an ownership that sources of both versions state changed (a carried, inferred or unknown value on either side is a change in evidence, not in behaviour); where both versions were measured, the measurements decide. errors: the error convention measured on both versions changed. signature: the declaration changed. stable-abi: it entered the Stable ABI in this version (to: the version; the Stable ABI never drops an item). deprecated / removed: the docs first say so. thread-safety: the level changed. */
  change: "documented" | "undocumented" | "returns" | "param" | "errors" | "signature" | "stable-abi" | "deprecated" | "removed" | "thread-safety";
  /** For param: 'params.<name>'; for returns and errors: the field's name. */
  field: string | null;
  from: string | null;
  to: string | null;
  /** true when runtime probes of both versions measured from and to: a change in behaviour, observed; absent otherwise. */
  measured?: boolean;
};

/** The name as CPython's compatibility header provides it for older Pythons. */
export type CompatBackport = {
  /** The project that provides it (only one is read). */
  project: "pythoncapi-compat";
  /** pythoncapi_compat.h provides the name to code built for a Python older than this. */
  before: string;
  /** The oldest Python the project supports: together, it covers oldest to before. */
  oldest: string;
  /** The definition in the header, at the commit read. */
  source: string;
};

export type ApiHistory = {
  /** The kind in the latest version that has it. */
  kind: ApiKind;
  /** The dataset versions that have it (in the docs or, undocumented, in the headers), in order. */
  versions: string[];
  /** The dataset versions whose docs describe it, in order; empty for a name only the headers declare. */
  documentedIn: string[];
  /** A Python feature release, 'X.Y'. */
  firstSeen: string;
  /** A Python feature release, 'X.Y'. */
  lastSeen: string;
  /** The version the docs say it was added in, from the latest version that says. */
  added: string | null;
  /** Its docs page in the latest version that documents it; null when no version does. */
  docsUrl: string | null;
  /** Changes between consecutive dataset versions, oldest first. */
  changes: ApiChange[];
  /** Where pythoncapi_compat.h provides the name to older Pythons; null where it does not. */
  compat: CompatBackport | null;
};

export type CombinedDataset = {
  /** The versions combined, oldest first. */
  versions: string[];
  /** Every API name of any version, keys sorted. */
  apis: { [name: string]: ApiHistory };
};
