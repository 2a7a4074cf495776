import { CAUSES, type CauseId } from "@/lib/classify/causes";
import { CONCEPTS } from "@/lib/fixes/concepts";
import { FIX_CATALOGUE } from "@/lib/fixes/fix-catalogue";
import { fixValues, PLACEHOLDERS } from "@/lib/fixes/fix-values";
import {
  type FixBlock,
  type FixContext,
  type FixSection,
  REQUIRED_SECTIONS,
  type RenderedFix,
  SECTION_TITLES,
} from "@/lib/fixes/types";
import { VERSION_NOTES } from "@/lib/fixes/version-notes";

/**
 * The fix page of a cause, filled in with the context's names. The result is plain data (sections of
 * paragraphs, lists, steps and code blocks) that a page renders as text; nothing in it is HTML.
 */
export function renderFix(cause: CauseId, ctx: FixContext = {}): RenderedFix {
  const definition = FIX_CATALOGUE[cause];
  const content = definition.content(fixValues(ctx));
  const bodies: Record<(typeof REQUIRED_SECTIONS)[number], FixBlock[]> = {
    ...content,
    symptoms: [{ kind: "signals", signals: definition.signals }, ...(content.symptoms ?? [])],
  };
  const sections: FixSection[] = REQUIRED_SECTIONS.map((id) => ({
    id,
    title: SECTION_TITLES[id],
    blocks: bodies[id],
  }));
  if (definition.concepts.length > 0) {
    sections.push({
      id: "concepts",
      title: SECTION_TITLES.concepts,
      blocks: definition.concepts.flatMap((id): FixBlock[] => [
        { kind: "subheading", text: CONCEPTS[id].title },
        ...CONCEPTS[id].text.map((text): FixBlock => ({ kind: "paragraph", text })),
      ]),
    });
  }
  if (definition.versionNotes.length > 0) {
    sections.push({
      id: "versions",
      title: SECTION_TITLES.versions,
      blocks: [
        {
          kind: "list",
          items: definition.versionNotes.map(
            (id) => `Since ${VERSION_NOTES[id].since}: ${VERSION_NOTES[id].text}`,
          ),
        },
      ],
    });
  }
  const text = JSON.stringify(sections);
  return {
    cause,
    title: CAUSES[cause].title,
    summary: CAUSES[cause].summary,
    sections,
    placeholders: Object.values(PLACEHOLDERS).filter((p) => text.includes(p)),
  };
}
