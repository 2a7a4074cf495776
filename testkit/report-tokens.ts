import { createSign, generateKeyPairSync } from "node:crypto";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

/** A real RS256 access token as the acme realm would issue it to orders-web for user alice. */
export function accessToken(now: number, overrides: Record<string, unknown> = {}): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const iat = Math.floor(now / 1000);
  const head = b64({ alg: "RS256", typ: "JWT", kid: "test-key" });
  const claims = b64({
    iss: "https://sso.example.com/realms/acme",
    sub: "5f0c6a7e-2b1d-4c44-9d1e-0d6f3c1a9b21",
    azp: "orders-web",
    aud: ["orders-api", "account"],
    iat,
    exp: iat + 300,
    scope: "openid profile email",
    realm_access: { roles: ["default-roles-acme", "offline_access"] },
    resource_access: { "orders-api": { roles: ["reader"] } },
    ...overrides,
  });
  const signature = createSign("RSA-SHA256")
    .update(`${head}.${claims}`)
    .sign(privateKey)
    .toString("base64url");
  return `${head}.${claims}.${signature}`;
}

export function signatureOf(token: string): string {
  return token.split(".")[2] ?? "";
}
