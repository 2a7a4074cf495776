import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOGUE } from "@/lib/classify/catalogue";
import { CAUSE_IDS } from "@/lib/classify/causes";
import { renderCausesDoc } from "@/scripts/docs/render-causes-doc";

const committed = readFileSync(new URL("../../../docs/causes.md", import.meta.url), "utf8");

describe("docs/causes.md", () => {
  it("is exactly what the catalogue generates, in biome's Markdown format (regenerate: npm run -s classify -- --causes-doc > docs/causes.md)", () => {
    expect(committed).toBe(renderCausesDoc());
  });

  it("has a section for every cause id and a row for every rule", () => {
    for (const cause of CAUSE_IDS) expect(committed).toContain(`## \`${cause}\``);
    for (const rule of CATALOGUE) expect(committed).toMatch(new RegExp(`^\\| \`${rule.id}\` +\\|`, "m"));
  });
});
