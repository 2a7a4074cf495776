import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/lib/server/secret-box";

/**
 * User ids as viewers see them: an opaque, keyed and reversible form ("~" + base64url), so that a viewer can
 * follow a link to one user's page (the server turns it back into the id) without learning the user's Keycloak
 * id, which is personal data (it is the `sub` of their tokens). Deterministic, so one user is one opaque id on
 * every page: the IV is an HMAC of the id (a synthetic IV), checked again on the way back, so a forged or
 * altered value is refused rather than decrypted into something else.
 */
export const OPAQUE_PREFIX = "~";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function keys(): { mac: Buffer; enc: Buffer } {
  const k = derivedKey("viewer-user-id");
  return {
    mac: createHmac("sha256", k).update("mac").digest(),
    enc: createHmac("sha256", k).update("enc").digest(),
  };
}

function plainOf(id: string): Buffer {
  return UUID.test(id)
    ? Buffer.concat([Buffer.from("u"), Buffer.from(id.replace(/-/g, "").toLowerCase(), "hex")])
    : Buffer.concat([Buffer.from("s"), Buffer.from(id, "utf8")]);
}

function idOf(plain: Buffer): string | null {
  const tag = plain.subarray(0, 1).toString();
  const body = plain.subarray(1);
  if (tag === "u" && body.length === 16) {
    const h = body.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return tag === "s" ? body.toString("utf8") : null;
}

export function opaqueUserId(id: string): string {
  if (id.startsWith(OPAQUE_PREFIX)) return id;
  const { mac, enc } = keys();
  const plain = plainOf(id);
  const iv = createHmac("sha256", mac).update(plain).digest().subarray(0, 16);
  const cipher = createCipheriv("aes-256-ctr", enc, iv);
  return OPAQUE_PREFIX + Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString("base64url");
}

export function isOpaqueUserId(value: string): boolean {
  return value.startsWith(OPAQUE_PREFIX);
}

/** The user id behind an opaque id, or null when it is not one realmwatch made with this key. */
export function openOpaqueUserId(value: string): string | null {
  if (!isOpaqueUserId(value)) return null;
  const raw = Buffer.from(value.slice(OPAQUE_PREFIX.length), "base64url");
  if (raw.length < 18) return null;
  const { mac, enc } = keys();
  const iv = raw.subarray(0, 16);
  const decipher = createDecipheriv("aes-256-ctr", enc, iv);
  const plain = Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]);
  const expected = createHmac("sha256", mac).update(plain).digest().subarray(0, 16);
  return timingSafeEqual(iv, expected) ? idOf(plain) : null;
}
