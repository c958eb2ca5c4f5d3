/** The ownership diagram's content: who holds which reference before and after the call. Pure; Diagram.astro draws it. */
import type { Api } from '../../schema/index.ts';

export type Cell = { text: string; cls: 'own' | 'bor' | 'stl' | 'box' };
export type DiagramRow = { label: string; before: Cell; after: Cell };

const NONE: Cell = { text: '(nothing yet)', cls: 'box' };

export function diagramRows(api: Api): DiagramRow[] {
  const rows: DiagramRow[] = [];
  for (const p of api.params) {
    const label = p.name;
    switch (p.ownership) {
      case 'borrowed':
        rows.push({ label, before: { text: 'you own a reference', cls: 'own' }, after: { text: 'you still own it', cls: 'own' } });
        break;
      case 'stolen':
        rows.push({ label, before: { text: 'you own a reference', cls: 'own' }, after: { text: 'stolen: no longer yours', cls: 'stl' } });
        break;
      case 'stolen-on-success':
        rows.push({ label, before: { text: 'you own a reference', cls: 'own' }, after: { text: 'ok: stolen; error: still yours', cls: 'stl' } });
        break;
      case 'out-new':
        rows.push({ label: `*${label}`, before: NONE, after: { text: 'you own a new reference', cls: 'own' } });
        break;
      case 'out-borrowed':
        rows.push({ label: `*${label}`, before: NONE, after: { text: 'borrowed: do not release', cls: 'bor' } });
        break;
      case 'in-out':
        rows.push({ label: `*${label}`, before: { text: 'you own a reference', cls: 'own' }, after: { text: 'old released; you own the new', cls: 'stl' } });
        break;
      default:
        break;
    }
  }
  const r = api.returns?.ownership;
  if (r === 'new') rows.push({ label: 'result', before: NONE, after: { text: 'you own it: Py_DECREF later', cls: 'own' } });
  if (r === 'borrowed') rows.push({ label: 'result', before: NONE, after: { text: 'borrowed: do not Py_DECREF', cls: 'bor' } });
  return rows;
}
