import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(
  path.join(path.dirname(createRequire(import.meta.url).resolve("axe-core")), "axe.min.js"),
  "utf8",
);

/** The WCAG 2.x A and AA rules (color-contrast among them): what "no violation" is measured against. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** axe-core's WCAG violations on the page as it is now, whatever their impact, as readable lines. */
export async function wcagViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: { runOnly: { type: "tag"; values: string[] } },
          ): Promise<{
            violations: {
              id: string;
              impact: string | null;
              nodes: { target: unknown[]; failureSummary?: string }[];
            }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes
        .slice(0, 3)
        .map((n) => `${String(n.target)} (${(n.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 160)})`),
    }));
  }, WCAG_TAGS);
  return violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.join(" | ")}`);
}
