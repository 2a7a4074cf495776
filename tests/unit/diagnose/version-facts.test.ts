import { describe, expect, it } from "vitest";
import { runLiveChecks } from "@/lib/diagnose/run-live-checks";
import { VERSION_NOTES } from "@/lib/fixes/version-notes";
import { acmeRealm } from "@/testkit/acme-realm";
import { createFakeAdminApi } from "@/testkit/fake-admin-api";

describe("Keycloak 26.5 to 26.8 in the checks and version notes", () => {
  it("effective-roles: a user lacking a role is told organization-group roles do not count (26.7, #52764)", async () => {
    const { api } = createFakeAdminApi(acmeRealm());
    const [r] = await runLiveChecks(api, { realm: "acme", username: "alice", role: "orders-admin" }, [
      "effective-roles",
    ]);
    expect(r!.status).toBe("fail");
    expect(r!.evidence).toContain("organization groups (Keycloak 26.7) does not count");
  });

  it("each note names the version it starts with and the Keycloak issue or PR it rests on", () => {
    for (const id of [
      "invalid-origin",
      "redirect-wildcard-host",
      "org-group-roles",
      "client-secret-rotation",
      "user-session-deleted",
      "impersonator-details",
    ] as const) {
      expect(VERSION_NOTES[id].since, id).toMatch(/^26\.[5-8](\.\d+)?$/);
      expect(VERSION_NOTES[id].text, id).toMatch(/keycloak(#| PR #)\d+/);
    }
    expect(VERSION_NOTES["redirect-wildcard-host"].text).toContain("26.4.13");
    expect(VERSION_NOTES["invalid-origin"].text).toContain("access log");
  });
});
