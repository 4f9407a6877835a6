/**
 * Orders that depend only on a key: the same key gives the same order on every machine and after
 * every reload, a different key (almost always) another one. No zod here, so the trainee page can
 * take it without the schemas.
 *
 * A graded ranking is authored in its right order, so that order must never reach a phone or the
 * projector before the reveal: the server sends the items {@link scrambled} with a key the room
 * never sees (the session's id), and each phone then shuffles them again with its own key (its
 * trainee id and the run), so two neighbours do not see the same list.
 */

/** A 32-bit hash of a string (FNV-1a, then a final mix so that short keys spread well). */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A small seeded generator (mulberry32): numbers in [0, 1). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The items in an order decided by the key (Fisher–Yates with a seeded generator). */
export function shuffled<T>(items: readonly T[], key: string): T[] {
  const out = [...items];
  const next = generator(hash(key));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Like {@link shuffled}, but never the order given when there are three or more items: a shuffle
 * that happens to give the items back as they came is turned by one place. (Ruling out one order
 * of six or more says next to nothing; with two items it would give the answer away, so two are
 * only shuffled.)
 */
export function scrambled<T>(items: readonly T[], key: string): T[] {
  const out = shuffled(items, key);
  if (out.length > 2 && out.every((x, i) => x === items[i])) out.push(out.shift()!);
  return out;
}
