import type { AdminApi } from "@/lib/keycloak/representations";

/**
 * Memoises every call for the life of one live-check run: several checks read the same client, scopes and
 * role mappings, and each should cost Keycloak one request. Failed calls are memoised too (same answer).
 */
export function cachedAdminApi(api: AdminApi): AdminApi {
  const cache = new Map<string, Promise<unknown>>();
  return new Proxy(api, {
    get(target, prop, receiver) {
      const original = Reflect.get(target, prop, receiver);
      if (typeof original !== "function") return original;
      return (...args: unknown[]) => {
        const key = JSON.stringify([prop, args]);
        let hit = cache.get(key);
        if (!hit) {
          hit = original.apply(target, args) as Promise<unknown>;
          cache.set(key, hit);
        }
        return hit;
      };
    },
  });
}
