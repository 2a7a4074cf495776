import { describe, expect, it } from "vitest";
import { groupTimeline, type Repeatable } from "@/app/_components/format/group-timeline";

const denial = (time: number): Repeatable & { id: string } => ({
  id: `d${time}`,
  time,
  type: "LOGIN_ERROR",
  error: "invalid_user_credentials",
  cause: "user-credentials",
  clientId: "shop",
  isFailure: true,
});

describe("a user's timeline with repeated failures folded", () => {
  it("folds 200 identical failures into one line, with the admin change that split them kept in place", () => {
    const events = Array.from({ length: 200 }, (_, i) => denial(1000 + i));
    const admin = { id: "a1", time: 1100.5 };
    const out = groupTimeline(events, [admin]);
    expect(out.map((g) => (g.kind === "repeat" ? `${g.count}x` : g.kind))).toEqual(["99x", "admin", "101x"]);
    const [newer] = out;
    expect(newer?.kind === "repeat" && [newer.newest.time, newer.oldest.time]).toEqual([1199, 1101]);
  });

  it("keeps different failures, successes and lone failures as they are", () => {
    const login = { ...denial(5), isFailure: false, type: "LOGIN", error: null, cause: null };
    const other = { ...denial(4), error: "user_disabled", cause: "user-state" };
    const out = groupTimeline([login, { ...login, time: 4.5 }, other, denial(3), denial(2)], []);
    expect(out.map((g) => (g.kind === "repeat" ? `${g.count}x` : g.kind))).toEqual([
      "event",
      "event",
      "event",
      "2x",
    ]);
  });
});
