/** A seeded PRNG (sfc32, seeded through splitmix32) so every demo run with the same seed is identical. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; `weights` is parallel to `items`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  chance(p: number): boolean;
  /** A version-4 UUID drawn from this generator. */
  uuid(): string;
  /** Writes a version-4 UUID's 16 bytes into `out` at `offset`. */
  uuidBytes(out: Uint8Array, offset: number): void;
  /** A new, independent generator derived from this one. */
  fork(): Prng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function formatUuid(bytes: Uint8Array, o: number): string {
  const h = (i: number) => HEX[bytes[o + i]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

export function createPrng(seed: number): Prng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const scratch = new Uint8Array(16);
  const prng: Prng = {
    next: () => u32() / 4294967296,
    int: (n) => Math.floor((u32() / 4294967296) * n),
    pick: (items) => items[Math.floor((u32() / 4294967296) * items.length)]!,
    weighted: (items, weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = (u32() / 4294967296) * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i]!;
        if (r < 0) return items[i]!;
      }
      return items[items.length - 1]!;
    },
    chance: (p) => u32() / 4294967296 < p,
    uuidBytes: (out, offset) => {
      for (let i = 0; i < 16; i += 4) {
        const v = u32();
        out[offset + i] = v & 0xff;
        out[offset + i + 1] = (v >>> 8) & 0xff;
        out[offset + i + 2] = (v >>> 16) & 0xff;
        out[offset + i + 3] = v >>> 24;
      }
      out[offset + 6] = (out[offset + 6]! & 0x0f) | 0x40;
      out[offset + 8] = (out[offset + 8]! & 0x3f) | 0x80;
    },
    uuid: () => {
      prng.uuidBytes(scratch, 0);
      return formatUuid(scratch, 0);
    },
    fork: () => createPrng(u32()),
  };
  return prng;
}
