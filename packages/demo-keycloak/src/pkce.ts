import { createHash } from "node:crypto";

/** PKCEUtils as the code exchange applies it; null when the verifier checks out (or no challenge was sent). */
export function verifyPkce(
  challenge: string | null,
  method: string | null,
  verifier: string | null,
): { error: string; description: string } | null {
  if (!challenge) return null;
  if (!verifier) return { error: "code_verifier_missing", description: "PKCE code verifier not specified" };
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) {
    return { error: "invalid_code_verifier", description: "PKCE invalid code verifier" };
  }
  const computed = method === "plain" ? verifier : createHash("sha256").update(verifier).digest("base64url");
  return computed === challenge
    ? null
    : { error: "pkce_verification_failed", description: "PKCE verification failed: Code mismatch" };
}
