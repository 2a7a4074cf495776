import { maskPersonal } from "@/lib/auth/personal-data";
import { type Role, roleAtLeast } from "@/lib/auth/roles";
import {
  diagnoseEvidence,
  type EvidenceDiagnosis,
  type FixFill,
} from "@/lib/classify/evidence/diagnose-evidence";
import type { ClassifyContext } from "@/lib/classify/types";
import type { TokenClaims } from "@/lib/keycloak/jwt";
import { type ReadEvidenceOptions, readEvidence } from "@/lib/logs/evidence/read-evidence";

export interface PastedEvidence {
  text: string;
  /** Tokens the page decoded in the browser; the text holds `[token n]` in their place. */
  tokens?: { n: number; claims: TokenClaims | null; problem?: string | null }[];
  /** Date for log lines that carry only a time; default the day of `now` (UTC). */
  date?: string;
  timeZone?: string;
  keycloakVersion?: string;
}

/**
 * The diagnosis as shown: personal values masked for roles that may not see them, and the answer's `fill.userId`
 * left out for them (the caller fills the fix link from `fill`, see fixLink).
 */
export interface ShownDiagnosis extends Omit<EvidenceDiagnosis, "personal"> {
  /** True when personal values (user ids, names, addresses) were masked for this role. */
  masked: boolean;
}

/**
 * Diagnoses pasted evidence for a viewer of `role`: reads it (lib/logs/evidence), classifies each piece
 * (lib/classify/evidence), and masks every personal value the evidence holds, wherever it appears in the
 * answer, for roles below analyst. Nothing is stored or logged.
 */
export function diagnosePastedEvidence(input: PastedEvidence, role: Role, now: number): ShownDiagnosis {
  const options: ReadEvidenceOptions = {
    defaultDate: input.date ?? new Date(now).toISOString().slice(0, 10),
    timeZone: input.timeZone ?? "UTC",
    decodedTokens: input.tokens ?? [],
  };
  const ctx: ClassifyContext = input.keycloakVersion ? { keycloakVersion: input.keycloakVersion } : {};
  const diagnosis = diagnoseEvidence(readEvidence(input.text, options), { now, ctx });
  const seesPersonal = roleAtLeast(role, "analyst");
  const { personal, ...rest } = diagnosis;
  const shown: ShownDiagnosis = { ...rest, masked: false };
  if (seesPersonal) return shown;
  const answer =
    shown.answer === null ? null : { ...shown.answer, fill: { ...shown.answer.fill, userId: null } };
  const withoutIds = {
    ...shown,
    answer,
    pieces: shown.pieces.map((p) => ({ ...p, fill: { ...p.fill, userId: null } })),
  };
  if (personal.length === 0) return withoutIds;
  return { ...maskStrings(withoutIds, personal, role), masked: true };
}

/** Every string of the answer with each personal value replaced by its mask (longest values first). */
function maskStrings<T>(value: T, personal: EvidenceDiagnosis["personal"], role: Role): T {
  const replacements = personal
    .map((p) => ({ value: p.value, mask: maskPersonal(p.value, p.kind, role) ?? "•••" }))
    .sort((a, b) => b.value.length - a.value.length);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      let out = v;
      for (const r of replacements) if (out.includes(r.value)) out = out.split(r.value).join(r.mask);
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) o[k] = walk(inner);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}

export type { FixFill };
