import { describe, expect, it } from "vitest";
import { hashUsername } from "@/lib/retention/hash-username";
import { readRetentionConfig } from "@/lib/retention/retention-config";
import { truncateIp } from "@/lib/retention/truncate-ip";

describe("truncating IP addresses at ingest", () => {
  const cases: Array<[string | null, string | null]> = [
    ["203.0.113.42", "203.0.113.0"],
    ["10.255.255.255", "10.255.255.0"],
    ["::ffff:198.51.100.7", "198.51.100.0"],
    ["2001:db8:85a3:1234:8a2e:370:7334:1", "2001:db8:85a3::"],
    ["2001:db8::1", "2001:db8::"],
    ["fe80::1%eth0", "fe80::"],
    ["unknown", null],
    ["203.0.113.42, 10.0.0.1", null],
    ["", null],
    [null, null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => {
      expect(truncateIp(input)).toBe(expected);
    });
  }
});

describe("hashing usernames at ingest", () => {
  it("groups the same user, hides the name, and differs per key", () => {
    const a = hashUsername("Alice", "key-1");
    expect(a).toBe(hashUsername("alice", "key-1"));
    expect(a).not.toContain("alice");
    expect(a).not.toBe(hashUsername("alice", "key-2"));
    expect(a).not.toBe(hashUsername("bob", "key-1"));
    // The "h:" prefix is not a flag: a username that starts with it is hashed like any other.
    expect(hashUsername("h:alice", "key-1")).not.toBe("h:alice");
    expect(hashUsername("h:alice", "key-1")).not.toContain("alice");
    expect(hashUsername(null, "key-1")).toBeNull();
  });
});

describe("retention settings", () => {
  it("keeps failures 90 days, successes 7, user days 400 and admin events a year unless told otherwise", () => {
    expect(readRetentionConfig({})).toEqual({
      userEventDays: 90,
      successEventDays: 7,
      summaryDays: 400,
      adminEventDays: 365,
      batchSize: 5000,
      truncateIp: false,
      hashUsernames: false,
    });
    expect(
      readRetentionConfig({
        REALMWATCH_RETENTION_DAYS: "30",
        REALMWATCH_SUCCESS_RETENTION_DAYS: "3",
        REALMWATCH_TRUNCATE_IP: "1",
      }),
    ).toMatchObject({
      userEventDays: 30,
      successEventDays: 3,
      truncateIp: true,
    });
  });
});
