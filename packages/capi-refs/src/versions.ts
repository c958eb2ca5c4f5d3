/** Comparing 'X.Y' / 'X.Y.Z' version strings. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The feature release 'X.Y' of a version such as '3.12.1'. */
export function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}
