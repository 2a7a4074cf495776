import type { CodeLanguage, FixBlock, FixStep } from "@/lib/fixes/types";

/** Small constructors that keep the per-cause content files readable. */
export const paragraph = (text: string): FixBlock => ({ kind: "paragraph", text });
export const list = (...items: string[]): FixBlock => ({ kind: "list", items });
export const steps = (...items: (FixStep | false | undefined)[]): FixBlock => ({
  kind: "steps",
  steps: items.filter((s): s is FixStep => Boolean(s)),
});
export const snippet = (language: CodeLanguage, text: string, title?: string): FixBlock => ({
  kind: "code",
  code: { language, text, title },
});
