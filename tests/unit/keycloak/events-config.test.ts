import { describe, expect, it } from "vitest";
import { assessEventsConfig, RECOMMENDED_EVENT_TYPES } from "@/lib/keycloak/events-config";

describe("events configuration health", () => {
  it("names what is not saved and an expiration shorter than the sync lag", () => {
    const h = assessEventsConfig(
      {
        eventsEnabled: true,
        adminEventsEnabled: false,
        enabledEventTypes: ["LOGIN_ERROR", "REFRESH_TOKEN_ERROR"],
        eventsExpiration: 60,
      },
      600,
    );
    expect(h.missingTypes).toEqual([
      "USER_INFO_REQUEST_ERROR",
      "INTROSPECT_TOKEN_ERROR",
      "PERMISSION_TOKEN_ERROR",
    ]);
    expect(h.findings.join("\n")).toMatch(/Admin events are not saved/);
    expect(h.findings.join("\n")).toMatch(/expire after 60 s, sooner than the sync lag of 600 s/);
  });
  it("is quiet when everything is right", () => {
    const h = assessEventsConfig(
      {
        eventsEnabled: true,
        adminEventsEnabled: true,
        enabledEventTypes: [...RECOMMENDED_EVENT_TYPES],
        eventsExpiration: 0,
      },
      30,
    );
    expect(h.findings).toEqual([]);
    expect(h.eventsExpirationSec).toBeNull();
  });
  it("says events are not saved at all when eventsEnabled is off (Keycloak's default)", () => {
    expect(assessEventsConfig({}, null).findings[0]).toMatch(/User events are not saved/);
  });
});
