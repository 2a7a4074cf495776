import { describe, expect, it } from "vitest";
import { modeForVersion } from "@/lib/ingest/sync/detect-mode";
import { assessEventsConfig, RECOMMENDED_EVENT_TYPES } from "@/lib/ingest/sync/events-config";
import { parseRealmList } from "@/lib/sources/source-input";

describe("sync mode by server version", () => {
  it("uses epoch-ranged sync from Keycloak 26.2 (ids, direction, epoch dates) and day windows before", () => {
    expect(modeForVersion("26.2.0")).toBe("ranged");
    expect(modeForVersion("26.4.2")).toBe("ranged");
    expect(modeForVersion("27.0.0")).toBe("ranged");
    expect(modeForVersion("26.1.4")).toBe("daily");
    expect(modeForVersion("22.0.1")).toBe("daily");
    expect(modeForVersion("nightly")).toBeNull();
    expect(modeForVersion(null)).toBeNull();
  });
});

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

describe("KEYCLOAK_REALMS", () => {
  it("takes a comma-separated list or * for every realm", () => {
    expect(parseRealmList("acme, retail,,acme")).toEqual(["acme", "retail"]);
    expect(parseRealmList("*")).toEqual(["*"]);
    expect(parseRealmList("")).toEqual(["*"]);
    expect(parseRealmList(undefined)).toEqual(["*"]);
  });
});
