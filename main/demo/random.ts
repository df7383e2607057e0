/** A small seeded PRNG (mulberry32): the same seed gives the same demo data. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** A UUIDv7-shaped id for a given instant, from the seeded stream. */
    uuidV7: (ms: number) => {
      const hex = (n: number, len: number) => Math.floor(n).toString(16).padStart(len, '0').slice(-len);
      const rand = () => hex(next() * 0x10000, 4);
      const time = hex(ms, 12);
      return `${time.slice(0, 8)}-${time.slice(8)}-7${rand().slice(1)}-${hex(0x8000 + (next() * 0x3fff), 4)}-${rand()}${rand()}${rand()}`;
    },
  };
}

export type Random = ReturnType<typeof seededRandom>;
