import { createPrng } from "@/packages/demo-keycloak/src/prng";

/**
 * Uniform numbers in [0, 1) from a seed, the same on every run: the demo Keycloak's generator (sfc32), so tests,
 * benchmarks and the demo share one seeded PRNG.
 */
export function seededRandom(seed: number): () => number {
  const prng = createPrng(seed);
  return () => prng.next();
}
