/**
 * Pure: what changed between the recorded data/runtime/X.Y.json and a fresh measurement, one line per changed
 * value, so that a failed --check names the probes and fields that moved instead of only the file.
 */

type Flat = Map<string, string>;

/** Arrays of probes, parameters, crashes and skips are keyed by what names their elements, not by position. */
function elementKey(element: unknown, index: number): string {
  if (element && typeof element === 'object') {
    const { name, experiment } = element as { name?: unknown; experiment?: unknown };
    if (typeof name === 'string') return name;
    if (typeof experiment === 'string') return experiment;
  }
  return String(index);
}

function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (Array.isArray(value)) value.forEach((element, i) => flatten(element, `${prefix}.${elementKey(element, i)}`, out));
  else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) flatten(inner, `${prefix}.${key}`, out);
  else out.set(prefix, JSON.stringify(value));
  return out;
}

/**
 * Each value that differs, as `path: recorded → measured` (`absent` where one side lacks it), with the probes'
 * paths starting at the probe's name: `PyList_Append.params.item.value: "borrowed" → "stolen"`.
 */
export function describeDrift(recorded: unknown, measured: unknown): string[] {
  const before = flatten(recorded, '', new Map());
  const after = flatten(measured, '', new Map());
  const lines: string[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(path);
    const now = after.get(path);
    if (was !== now) lines.push(`${path.replace(/^\.(probes\.)?/, '')}: ${was ?? 'absent'} → ${now ?? 'absent'}`);
  }
  return lines;
}
