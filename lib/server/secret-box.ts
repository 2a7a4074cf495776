import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/server/env";

/**
 * Encrypts secrets at rest (Keycloak client secrets, report keys, alert URLs) and seals cookies (sessions,
 * sign-in state) with AES-256-GCM. The key material comes from REALMWATCH_SECRET_KEY, or for the
 * zero-configuration set-up a random key kept in <data dir>/secret.key (0600).
 *
 * v2 (what is written now): the AES key is derived with HKDF-SHA-256 from the key material, and each value is
 * sealed for one purpose, bound as GCM's additional authenticated data: a session cookie cannot be replayed as a
 * sign-in state, nor a stored secret pasted into a cookie. v1 (a SHA-256 of the key material, no purpose) is
 * still opened, for secrets stored before; they are sealed as v2 the next time they are saved.
 */
export type SealPurpose =
  | "session"
  | "sign-in"
  | "source-secret"
  | "report-key"
  | "alert-url"
  | "push-secret";
let cachedKey: Buffer | undefined;

function key(): Buffer {
  if (cachedKey) return cachedKey;
  const env = getEnv();
  const configured = env.REALMWATCH_SECRET_KEY;
  if (configured) {
    cachedKey = createHash("sha256").update(configured).digest();
    return cachedKey;
  }
  const file = path.resolve(env.REALMWATCH_DATA_DIR, "secret.key");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  cachedKey = createHash("sha256").update(readFileSync(file, "utf8").trim()).digest();
  return cachedKey;
}

let cachedV2: Buffer | undefined;

function keyV2(): Buffer {
  cachedV2 ??= Buffer.from(hkdfSync("sha256", key(), Buffer.alloc(0), "realmwatch secret-box v2", 32));
  return cachedV2;
}

/**
 * A key for another purpose (hashing usernames), derived from the key material. Kept as it was first made, so
 * that hashes stored earlier still group with new ones.
 */
export function derivedKey(purpose: string): Buffer {
  return createHash("sha256").update(key()).update(`\u0000${purpose}`).digest();
}

export function sealSecret(plain: string, purpose: SealPurpose): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyV2(), iv);
  cipher.setAAD(Buffer.from(purpose, "utf8"));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v2:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

/**
 * The plain text of a sealed value, which must have been sealed for `purpose`. Cookies pass `acceptV1: false`:
 * only stored secrets may still be in the old format.
 */
export function openSecret(
  sealed: string,
  purpose: SealPurpose,
  acceptV1 = purpose !== "session" && purpose !== "sign-in",
): string {
  const v2 = sealed.startsWith("v2:");
  if (!v2 && !(acceptV1 && sealed.startsWith("v1:"))) throw new Error("Unknown secret format.");
  const raw = Buffer.from(sealed.slice(3), "base64");
  const decipher = createDecipheriv("aes-256-gcm", v2 ? keyV2() : key(), raw.subarray(0, 12));
  if (v2) decipher.setAAD(Buffer.from(purpose, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(
      "A stored secret cannot be decrypted: REALMWATCH_SECRET_KEY (or .data/secret.key) changed since it was saved. Enter the secret again.",
    );
  }
}
