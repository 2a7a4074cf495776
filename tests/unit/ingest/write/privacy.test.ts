import { describe, expect, it } from "vitest";
import { makePrivacyFilters } from "@/lib/ingest/write/privacy";
import type { AdminEventRow, UserEventRow } from "@/lib/keycloak/event-rows";

const KEY = "privacy-test-key";
const both = makePrivacyFilters({ truncateIp: true, hashUsernames: true }, KEY);

function userRow(over: Partial<UserEventRow> = {}): UserEventRow {
  return {
    sourceId: "s",
    realm: "acme",
    id: "e1",
    time: 0,
    type: "LOGIN_ERROR",
    realmId: null,
    clientId: "portal",
    userId: "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f",
    sessionId: null,
    ipAddress: "203.0.113.42",
    username: "chloe.nguyen",
    error: "user_not_found",
    details: null,
    evidence: null,
    isFailure: true,
    cause: null,
    confidence: null,
    origin: "api",
    ...over,
  } as UserEventRow;
}

const personal = [
  "chloe.nguyen",
  "chloe@example.org",
  "203.0.113.42",
  "Chloé",
  "Nguyen",
  "root-admin",
  "cn=Chloe",
];
const leaks = (value: unknown) => personal.filter((p) => JSON.stringify(value).includes(p));

describe("privacy filter of user events (REALMWATCH_HASH_USERNAMES, REALMWATCH_TRUNCATE_IP)", () => {
  it("covers the username in the row, in every personal details key and in the evidence and reason texts", () => {
    const row = userRow({
      details: {
        username: "chloe.nguyen",
        email: "chloe@example.org",
        first_name: "Chloé",
        last_name: "Nguyen",
        impersonator: "root-admin",
        x509_cert_subject_distinguished_name: "cn=Chloe",
        auth_method: "openid-connect",
        reason: "no user matches the username chloe.nguyen",
        redirect_uri: "https://app.example/cb?login_hint=chloe%40example.org&client_id=portal",
      },
      evidence:
        'LOGIN_ERROR with error user_not_found and reason "no user matches the username chloe.nguyen" from 203.0.113.42',
    });
    both.user(row);
    expect(leaks(row)).toEqual([]);
    expect(row.ipAddress).toBe("203.0.113.0");
    expect(row.details?.auth_method).toBe("openid-connect");
    expect(row.details?.username).toBe(row.username);
    expect(row.details?.reason).toBe(`no user matches the username ${row.username}`);
    expect(row.details?.redirect_uri).toMatch(
      /^https:\/\/app\.example\/cb\?login_hint=h%3A.+&client_id=portal$/,
    );
    expect(row.evidence).toContain(`username ${row.username}`);
  });

  it("hashes details keys it does not know (a newer Keycloak's), keeps the ones it knows are not personal", () => {
    const row = userRow({ details: { org_member_name: "chloe.nguyen", grant_type: "password" } });
    both.user(row);
    expect(row.details?.org_member_name).toMatch(/^h:/);
    expect(row.details?.grant_type).toBe("password");
  });

  it("does nothing to names with only IP truncation on, and nothing at all with both off", () => {
    const ipOnly = makePrivacyFilters({ truncateIp: true, hashUsernames: false }, null);
    const row = userRow({ details: { username: "chloe.nguyen" } });
    ipOnly.user(row);
    expect(row.username).toBe("chloe.nguyen");
    expect(row.ipAddress).toBe("203.0.113.0");
  });
});

describe("privacy filter of admin events", () => {
  it("truncates the admin's address and hashes the names in the representation, cut or whole", () => {
    const row = {
      sourceId: "s",
      realm: "acme",
      id: "a1",
      time: 0,
      realmId: null,
      authRealmId: null,
      authClientId: null,
      authUserId: "u1",
      authIpAddress: "203.0.113.42",
      operationType: "UPDATE",
      resourceType: "USER",
      resourcePath: "users/6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f",
      representation:
        '{"id":"6f1c","username":"chloe.nguyen","email":"chloe@example.org","firstName":"Chlo\\u00e9","lastName":"Nguyen","enabled":true,"attri',
      error: null,
      details: null,
      origin: "api",
    } as AdminEventRow;
    both.admin(row);
    expect(leaks(row)).toEqual([]);
    expect(row.authIpAddress).toBe("203.0.113.0");
    expect(row.representation).toMatch(
      /^\{"id":"6f1c","username":"h:[^"]+","email":"h:[^"]+",.*"enabled":true,"attri$/,
    );
  });
});
