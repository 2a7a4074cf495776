import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CAUSE_COLORS, causeColor } from "@/app/_components/format/cause-colors";
import { CAUSE_IDS } from "@/lib/classify/causes";
import { contrast, deltaE2000, distance, parseHex, toLab, VISIONS } from "@/testkit/colour-vision";

/** The theme's colours as app/globals.css declares them: `--name: light-dark(light, dark)`. */
function themeColours(): Record<"light" | "dark", Record<string, string>> {
  const css = readFileSync("app/globals.css", "utf8");
  const light: Record<string, string> = {};
  const dark: Record<string, string> = {};
  for (const m of css.matchAll(/--([a-z-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/gi)) {
    light[m[1]!] = m[2]!;
    dark[m[1]!] = m[3]!;
  }
  return { light, dark };
}

/** Text colour, and the surfaces it is drawn on. */
const TEXT_PAIRS: [string, string[]][] = [
  ["fg", ["bg", "card", "detail-bg", "field-bg", "banner-bg", "banner-error-bg"]],
  ["muted", ["bg", "card", "detail-bg", "field-bg"]],
  ["accent", ["bg", "card", "detail-bg", "field-bg", "banner-bg", "banner-error-bg"]],
  ["danger", ["card", "field-bg", "banner-error-bg"]],
  ["warn", ["card", "banner-bg"]],
  ["ok", ["card"]],
  ["on-accent", ["accent"]],
  ["topbar-fg", ["topbar"]],
];

describe("the themes", () => {
  const themes = themeColours();

  it("declares every colour for both themes", () => {
    expect(Object.keys(themes.light).length).toBeGreaterThanOrEqual(15);
    expect(Object.keys(themes.dark)).toEqual(Object.keys(themes.light));
  });

  it.each(["light", "dark"] as const)("keeps every text at 4.5:1 or more on its surfaces, %s", (theme) => {
    const colours = themes[theme];
    const low: string[] = [];
    for (const [text, surfaces] of TEXT_PAIRS) {
      for (const surface of surfaces) {
        const ratio = contrast(colours[text]!, colours[surface]!);
        if (!(ratio >= 4.5)) low.push(`${text} on ${surface}: ${ratio.toFixed(2)}`);
      }
    }
    expect(low).toEqual([]);
  });
});

describe("the cause colours", () => {
  const colours = Object.entries(CAUSE_COLORS);

  it("has one colour for every cause", () => {
    expect(Object.keys(CAUSE_COLORS).sort()).toEqual([...CAUSE_IDS].sort());
    expect(causeColor("a-cause-from-a-newer-catalogue")).toBe(CAUSE_COLORS.unknown);
  });

  it.each(VISIONS)("keeps every pair clearly apart (CIEDE2000 of 12 or more), %s", (vision) => {
    const close: string[] = [];
    for (let i = 0; i < colours.length; i++) {
      for (let j = i + 1; j < colours.length; j++) {
        const [a, ca] = colours[i]!;
        const [b, cb] = colours[j]!;
        const d = distance(ca, cb, vision);
        if (!(d >= 12)) close.push(`${a} ~ ${b}: ${d.toFixed(1)}`);
      }
    }
    expect(close).toEqual([]);
  });

  it("keeps every colour in the middle lightness, visible on the light and the dark card", () => {
    const themes = themeColours();
    for (const [cause, c] of colours) {
      const lightness = toLab(parseHex(c))[0];
      expect({ cause, lightness: Math.round(lightness) }).toEqual({
        cause,
        lightness: expect.toSatisfy((l: number) => l >= 42 && l <= 82),
      });
      for (const theme of ["light", "dark"] as const) {
        expect(contrast(c, themes[theme].card!)).toBeGreaterThan(1.5);
      }
    }
  });

  it("computes CIEDE2000 as Sharma, Wu and Dalal's test data does", () => {
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(deltaE2000([2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514])).toBeCloseTo(0.9082, 4);
  });

  it("tells a near pair apart, so the check can fail", () => {
    expect(distance("#0072b2", "#0b70b0", "normal")).toBeLessThan(2);
    expect(distance("#d55e00", "#7f7f00", "deuteranopia")).toBeLessThan(12);
    expect(contrast("#bcbd22", "#ffffff")).toBeLessThan(4.5);
  });
});
