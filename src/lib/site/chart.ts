/** Build-time SVG chart geometry: lines of how counts evolve across versions. Pure: returns numbers, the page draws. */
import type { VersionStats } from './model.ts';

export type Series = { key: keyof VersionStats; label: string; cls: string };

export const SERIES: Series[] = [
  { key: 'total', label: 'APIs', cls: 's-total' },
  { key: 'functions', label: 'callable (functions, function-like macros)', cls: 's-fn' },
  { key: 'newRefs', label: 'return a new reference', cls: 's-new' },
  { key: 'stable', label: 'in the Stable ABI (recorded 3.11 on)', cls: 's-stable' },
  { key: 'borrowed', label: 'return a borrowed reference', cls: 's-borrowed' },
  { key: 'steals', label: 'steal a parameter', cls: 's-steals' },
  { key: 'threadAnnotated', label: 'thread safety annotated (3.14 on)', cls: 's-thread' },
];

export type ChartLine = { label: string; cls: string; points: { x: number; y: number; value: number; version: string }[]; path: string };

export type Chart = { width: number; height: number; max: number; xs: { x: number; version: string }[]; ticks: { y: number; value: number }[]; lines: ChartLine[] };

/**
 * A plot box of width x height user units, the first version at x = 0 and the last at x = width, 0 at y = height and
 * the top tick at y = 0. The page stretches it to its column and sets the labels as HTML around it, so that they
 * keep the text size at any width.
 */
export function lineChart(stats: VersionStats[], series: Series[] = SERIES, width = 640, height = 300): Chart {
  let max = 1;
  for (const s of stats) for (const ser of series) { const v = s[ser.key]; if (typeof v === 'number' && v > max) max = v; }
  const step = Math.pow(10, Math.floor(Math.log10(max))) / 2;
  const top = Math.ceil(max / step) * step;
  const x = (i: number) => (stats.length === 1 ? width / 2 : (i * width) / (stats.length - 1));
  const y = (v: number) => height - (v / top) * height;
  const round = (n: number) => Math.round(n * 10) / 10;
  const lines: ChartLine[] = series.map((ser) => {
    const points = stats.flatMap((s, i) => {
      const v = s[ser.key];
      return typeof v === 'number' ? [{ x: round(x(i)), y: round(y(v)), value: v, version: s.version }] : [];
    });
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');
    return { label: ser.label, cls: ser.cls, points, path };
  });
  const ticks = Array.from({ length: 5 }, (_, i) => ({ value: Math.round((top * i) / 4), y: round(y((top * i) / 4)) }));
  return { width, height, max: top, xs: stats.map((s, i) => ({ x: round(x(i)), version: s.version })), ticks, lines };
}
