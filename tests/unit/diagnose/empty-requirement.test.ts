import { describe, expect, it } from "vitest";
import type { CheckId, LiveCheckContext } from "@/lib/diagnose/checks/check-types";
import { LIVE_CHECKS, runLiveChecks } from "@/lib/diagnose/run-live-checks";
import { acmeRealm } from "@/testkit/acme-realm";
import { createFakeAdminApi } from "@/testkit/fake-admin-api";

/**
 * A check compares the realm with what the failures needed. With that requirement empty or missing there is
 * nothing to compare: the answer is "not checked" naming the value the evidence lacks, never pass.
 */
const EMPTY_VALUES: Record<string, unknown>[] = [
  {},
  { role: "", audience: "", scope: "", origins: [], redirectUris: [], issuers: [] },
  { role: "  ", audience: " ", scope: "\t", origins: [""], redirectUris: [" "], issuers: [""] },
  { endpoint: "api" },
];

/** Everything else a check could need is there: a client, a user with roles, a realm with scopes. */
const SUBJECTS: Omit<LiveCheckContext, "realm">[] = [
  { clientId: "spa", username: "alice" },
  { clientId: "reporting" },
  { clientId: "support-desk", username: "olivia" },
];

const ids = Object.keys(LIVE_CHECKS) as CheckId[];

describe("no check answers pass with an empty requirement", () => {
  it("only the events configuration check has no requirement from the evidence", () => {
    expect(ids.filter((id) => LIVE_CHECKS[id].requires.length === 0)).toEqual(["events-config"]);
  });

  for (const id of ids.filter((id) => LIVE_CHECKS[id].requires.length > 0)) {
    it(`${id}: not checked, naming what the evidence lacks`, async () => {
      for (const empty of EMPTY_VALUES) {
        for (const subject of SUBJECTS) {
          const { api } = createFakeAdminApi(acmeRealm());
          const ctx = { realm: "acme", ...subject, ...empty } as LiveCheckContext;
          const [r] = await runLiveChecks(api, ctx, [id]);
          const label = `${id} ${JSON.stringify(ctx)}`;
          expect(r?.status, label).toBe("unknown");
          expect(r?.evidence, label).toMatch(/^Not enough to check: the failures name no /);
        }
      }
    });
  }
});
