/**
 * The value `compute` gives for `key`, worked out once per key and kept in `cache`: the analysis and the rules ask
 * the same question of the same expression, function or file many times over. The cache is the caller's: a WeakMap
 * keyed by an object of the analysis, so that a file's answers go when its analysis does, or a Map of names for a
 * get-or-make table. `compute` never gives undefined (null stands for "none").
 */
export function memoized<K, V extends {} | null>(cache: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = compute()));
  return value;
}
