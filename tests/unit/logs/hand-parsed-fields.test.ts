import { describe, expect, it } from "vitest";
import { parseAccessLogLine } from "@/lib/logs/parse-access-log-line";
import { parseClfTime } from "@/lib/logs/parse-clf-time";
import { parseLogPrefix } from "@/lib/logs/parse-log-prefix";
import { utcMillis } from "@/lib/logs/utc-millis";

// The parsers read the default log prefix, CLF times and access-log fields by position instead of by regex
// and split(); these pin the edges where a hand-written reader could drift from the patterns it replaced.

describe("utcMillis equals Date.UTC", () => {
  it("over days, months and times out of range, two-digit years and alternating dates", () => {
    for (const year of [0, 1, 99, 100, 1969, 1970, 2024, 2025, 9999]) {
      for (const month of [-1, 0, 1, 11, 12, 13]) {
        for (const day of [0, 1, 29, 31, 32, 99]) {
          for (const [hour, minute, second, millis] of [
            [0, 0, 0, 0],
            [23, 59, 60, 999],
            [99, 99, 99, 999],
          ] as const) {
            expect(utcMillis(year, month, day, hour, minute, second, millis)).toBe(
              Date.UTC(year, month, day, hour, minute, second, millis),
            );
          }
        }
      }
    }
  });

  it("at the limits of a Date and with a missing field", () => {
    const cases: [number, number, number, number, number, number, number][] = [
      [275760, 8, 13, 0, 0, 0, 0],
      [275760, 8, 13, 0, 0, 0, 1],
      [-271821, 3, 20, 0, 0, 0, 0],
      [-271821, 3, 19, 23, 59, 59, 999],
      [Number.NaN, 0, 1, 0, 0, 0, 0],
      [2025, 0, 1, Number.NaN, 0, 0, 0],
    ];
    for (const args of cases) expect(utcMillis(...args)).toBe(Date.UTC(...args));
  });
});

describe("parseClfTime", () => {
  it("reads the time with and without a zone", () => {
    expect(parseClfTime("10/Oct/2000:13:55:36 -0700")).toBe(Date.UTC(2000, 9, 10, 20, 55, 36));
    expect(parseClfTime("03/Jun/2025:09:14:07 +0130")).toBe(Date.UTC(2025, 5, 3, 7, 44, 7));
    expect(parseClfTime("03/Jun/2025:09:14:07")).toBe(Date.UTC(2025, 5, 3, 9, 14, 7));
    expect(parseClfTime("31/Dec/0099:23:59:59 +0000")).toBe(Date.UTC(99, 11, 31, 23, 59, 59));
  });

  it("refuses anything else", () => {
    for (const text of [
      "",
      "03/jun/2025:09:14:07",
      "03/Jux/2025:09:14:07",
      "03-Jun-2025:09:14:07",
      "03/Jun/2025 09:14:07",
      "3/Jun/2025:09:14:07 ",
      "03/Jun/2025:09:14:07+0000",
      "03/Jun/2025:09:14:07 +00:0",
      "03/Jun/2025:09:14:07 *0000",
      "03/Jun/2025:09:14:07 +0000 ",
      "0a/Jun/2025:09:14:07",
      "03/Jun/2025:09:14:0٣",
    ]) {
      expect(parseClfTime(text), text).toBeNull();
    }
  });
});

describe("parseLogPrefix: the default Quarkus and WildFly prefixes", () => {
  const quarkus = (level: string, logger: string) => `2025-06-03 09:14:07,321 ${level}[${logger}] (main) `;

  it("reads date, time, level and logger", () => {
    expect(parseLogPrefix(quarkus("WARN  ", "org.keycloak.events"))).toEqual({
      stamp: {
        year: 2025,
        month: 6,
        day: 3,
        hour: 9,
        minute: 14,
        second: 7,
        millis: 321,
        offsetMinutes: undefined,
      },
      level: "WARN",
      logger: "org.keycloak.events",
    });
    expect(parseLogPrefix("08:12:20,561 DEBUG [org.keycloak.events:130] (default task-3) ")).toEqual({
      stamp: { hour: 8, minute: 12, second: 20, millis: 561 },
      level: "DEBUG",
      logger: "org.keycloak.events",
    });
  });

  it("leaves other shapes to the general reader, which still finds what it can", () => {
    expect(parseLogPrefix(quarkus("WARNING ", "org.keycloak.events")).level).toBe("WARN");
    expect(parseLogPrefix(quarkus("WARN", "org.keycloak.events")).level).toBeNull();
    expect(parseLogPrefix(quarkus("WARN ", "org.keycloak.events:x")).logger).toBeNull();
    expect(parseLogPrefix(quarkus("WARN ", "9events")).logger).toBeNull();
    expect(parseLogPrefix("2025-13-03 09:14:07,321 WARN  [org.keycloak.events] ").stamp).toEqual({
      hour: 9,
      minute: 14,
      second: 7,
      millis: 321,
    });
    expect(parseLogPrefix("2025-06-03 09:14:07.321 WARN  [org.keycloak.events] ").stamp).toMatchObject({
      year: 2025,
      millis: 321,
    });
  });
});

describe("parseAccessLogLine: the fields before the time", () => {
  const tail = '[03/Jun/2025:09:14:07 +0000] "GET /x HTTP/1.1" 403 52';

  it("takes the three fields before the time and the log prefix before them", () => {
    expect(parseAccessLogLine(`10.0.0.9 - bob ${tail}`)).toMatchObject({
      format: "common",
      ipAddress: "10.0.0.9",
    });
    expect(
      parseAccessLogLine(
        `2025-06-03 09:14:07,512 INFO  [io.quarkus.http.access-log] (x) 10.0.0.9 - - ${tail}`,
      ),
    ).toMatchObject({ format: "keycloak", ipAddress: "10.0.0.9" });
    expect(parseAccessLogLine(` 10.0.0.9 - - ${tail}`)).toMatchObject({
      format: "common",
      ipAddress: "10.0.0.9",
    });
  });

  it("refuses fewer than three fields and a request line without a target", () => {
    expect(parseAccessLogLine(`- - ${tail}`)).toBeNull();
    expect(parseAccessLogLine(`10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET" 403 52`)).toBeNull();
    expect(
      parseAccessLogLine(`10.0.0.9 - - [03/Jun/2025:09:14:07 +0000] "GET  HTTP/1.1" 403 52`),
    ).toMatchObject({
      path: "",
    });
  });
});
