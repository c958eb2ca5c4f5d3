import { describe, expect, it } from 'vitest';
import { CopyOnWriteMap } from '../../packages/capi-refs/src/analysis/copy-on-write-map.ts';

describe('CopyOnWriteMap', () => {
  it('gives copies that read the same entries and never see each other\'s writes', () => {
    const a = new CopyOnWriteMap<string, number>();
    a.set('x', 1).set('y', 2);
    const b = a.copy();
    expect([...b]).toEqual([['x', 1], ['y', 2]]);
    b.set('x', 10);
    a.delete('y');
    a.set('z', 3);
    expect([...a]).toEqual([['x', 1], ['z', 3]]);
    expect([...b]).toEqual([['x', 10], ['y', 2]]);
    const c = b.copy();
    const d = c.copy();
    d.set('w', 4);
    expect(c.has('w')).toBe(false);
    expect(b.has('w')).toBe(false);
    expect(d.size).toBe(3);
  });

  it('iterates the entries it had when a loop over it writes to it', () => {
    const a = new CopyOnWriteMap<number, string>(new Map([[1, 'a'], [2, 'b'], [3, 'c']]));
    const keep = a.copy();
    const seen: number[] = [];
    for (const [key] of a) {
      seen.push(key);
      a.delete(key);
      a.set(key + 10, 'new');
    }
    expect(seen).toEqual([1, 2, 3]);
    expect([...a.keys()]).toEqual([11, 12, 13]);
    expect([...keep.values()]).toEqual(['a', 'b', 'c']);
  });

  it('treats setting the value already there, or deleting an absent key, as no change', () => {
    const value = { k: 'unknown' };
    const a = new CopyOnWriteMap<string, object>(new Map([['x', value]]));
    const b = a.copy();
    expect(a.delete('absent')).toBe(false);
    a.set('x', value);
    b.set('x', { k: 'other' });
    expect(a.get('x')).toBe(value);
    expect(b.get('x')).not.toBe(value);
  });
});
