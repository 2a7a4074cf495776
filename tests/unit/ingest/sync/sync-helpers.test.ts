import { describe, expect, it } from "vitest";
import { modeForVersion } from "@/lib/ingest/sync/detect-mode";
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

describe("KEYCLOAK_REALMS", () => {
  it("takes a comma-separated list or * for every realm", () => {
    expect(parseRealmList("acme, retail,,acme")).toEqual(["acme", "retail"]);
    expect(parseRealmList("*")).toEqual(["*"]);
    expect(parseRealmList("")).toEqual(["*"]);
    expect(parseRealmList(undefined)).toEqual(["*"]);
  });
});
