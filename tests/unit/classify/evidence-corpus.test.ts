import { describe, expect, it } from "vitest";
import { diagnoseEvidence } from "@/lib/classify/evidence/diagnose-evidence";
import { readEvidence } from "@/lib/logs/evidence/read-evidence";
import { CORPUS_NOW, EVIDENCE_CORPUS } from "@/testkit/evidence-corpus";
import { readKeycloakSamples } from "@/testkit/read-samples";

describe.each(EVIDENCE_CORPUS)("$name", (c) => {
  const reading = readEvidence(c.text, { defaultDate: "2025-06-03", timeZone: "UTC" });
  const diagnosis = diagnoseEvidence(reading, { now: CORPUS_NOW });

  it("is read as the expected pieces", () => {
    expect(diagnosis.pieces.filter((p) => p.kind !== "token").map((p) => p.form)).toEqual(c.forms);
  });

  it("reaches the expected cause", () => {
    expect(diagnosis.answer?.cause ?? null).toBe(c.expect.cause);
    if (c.expect.ruleId !== undefined) expect(diagnosis.answer?.ruleId).toBe(c.expect.ruleId);
    if (c.expect.deciderIncludes !== undefined) {
      const decider = diagnosis.answer?.decider ?? diagnosis.pieces.find((p) => p.decider)?.decider;
      expect(decider).toContain(c.expect.deciderIncludes);
    }
  });

  it("carries no token anywhere in the answer", () => {
    const tokens = c.text.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g) ?? [];
    const shown = JSON.stringify(diagnosis);
    for (const token of tokens) expect(shown).not.toContain(token);
    for (const token of tokens) expect(shown).not.toContain(token.split(".")[1]);
  });
});

describe("the public samples, pasted one by one", () => {
  it("each is read as one event piece with a verdict or a success", () => {
    for (const sample of readKeycloakSamples()) {
      const reading = readEvidence(sample.raw, { defaultDate: "2024-01-02", timeZone: "UTC" });
      const pieces = reading.pieces.filter((p) => p.kind === "event" || p.kind === "admin-event");
      expect(pieces, sample.source_url).toHaveLength(1);
      expect(reading.skipped, sample.source_url).toEqual([]);
    }
  });
});
