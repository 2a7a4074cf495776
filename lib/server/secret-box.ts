import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/server/env";

/**
 * Encrypts secrets at rest (Keycloak client secrets, report keys) with AES-256-GCM. The key comes from
 * REALMWATCH_SECRET_KEY, or for the zero-configuration set-up a random key kept in <data dir>/secret.key (0600).
 * Ciphertexts carry a version prefix so the scheme can change.
 */
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

/** A key for another purpose (e.g. hashing usernames), derived from the secret key so one key rules them all. */
export function derivedKey(purpose: string): Buffer {
  return createHash("sha256").update(key()).update(`\u0000${purpose}`).digest();
}

export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export function openSecret(sealed: string): string {
  if (!sealed.startsWith("v1:")) throw new Error("Unknown secret format.");
  const raw = Buffer.from(sealed.slice(3), "base64");
  const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(
      "A stored secret cannot be decrypted: REALMWATCH_SECRET_KEY (or .data/secret.key) changed since it was saved. Enter the secret again.",
    );
  }
}
