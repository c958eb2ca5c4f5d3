/**
 * A Map whose copies share its entries until one of them is written: the engine copies a state at every branch
 * and keeps a copy at every join for merging, and many of those copies are never written, or only after a while.
 * A copy costs nothing; the first write to either side copies the entries once.
 */
export class CopyOnWriteMap<K, V> implements ReadonlyMap<K, V> {
  #map: Map<K, V>;
  /** Another CopyOnWriteMap may hold #map: copy it before writing. */
  #shared: boolean;

  constructor(map: Map<K, V> = new Map(), shared = false) {
    this.#map = map;
    this.#shared = shared;
  }

  /** A copy that shares the entries until either side is written. */
  copy(): CopyOnWriteMap<K, V> {
    this.#shared = true;
    return new CopyOnWriteMap(this.#map, true);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): this {
    // Writing the value already there is no write (the engine often marks a name it already marked).
    if (this.#map.get(key) === value && (value !== undefined || this.#map.has(key))) return this;
    this.#own().set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.#map.has(key) && this.#own().delete(key);
  }

  keys(): MapIterator<K> {
    return this.#map.keys();
  }

  values(): MapIterator<V> {
    return this.#map.values();
  }

  entries(): MapIterator<[K, V]> {
    return this.#map.entries();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#map.entries();
  }

  /**
   * The loop for hot paths: Map's own forEach allocates nothing per entry, where `for...of` makes an entry and an
   * iterator result for each one (Maglev, the only optimizing compiler the CLI runs, does not remove them).
   */
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    // The callback is handed to the Map itself, not wrapped (the wrapper cost a call per entry): its third argument
    // is then the entries' Map, typed read-only, which is what the callback sees of this one.
    this.#map.forEach(callback);
  }

  #own(): Map<K, V> {
    if (this.#shared) {
      // Copied with forEach: the Map constructor takes the entries through an iterator, one allocation each.
      const copy = new Map<K, V>();
      this.#map.forEach((value, key) => copy.set(key, value));
      this.#map = copy;
      this.#shared = false;
    }
    return this.#map;
  }
}
