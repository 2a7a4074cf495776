import { z } from "zod";
import { route } from "@/lib/auth/route";
import { diagnosePastedEvidence } from "@/lib/diagnose/evidence/diagnose-pasted-evidence";
import { fixLink } from "@/lib/fixes/fix-link";
import { EvidenceInputError, MAX_EVIDENCE_CHARS } from "@/lib/logs/evidence/read-evidence";
import { AppError } from "@/lib/server/errors";

export const dynamic = "force-dynamic";

/** A body this large cannot hold evidence under the limit (4 bytes per character at most, plus the JSON). */
const MAX_BODY_BYTES = MAX_EVIDENCE_CHARS * 4 + 256 * 1024;
const claims = z
  .object({
    iss: z.string().max(2048).optional(),
    sub: z.string().max(2048).optional(),
    azp: z.string().max(2048).optional(),
    aud: z.union([z.string().max(2048), z.array(z.string().max(2048)).max(1000)]).optional(),
    exp: z.number().finite().optional(),
    nbf: z.number().finite().optional(),
    iat: z.number().finite().optional(),
    scope: z.string().max(2048).optional(),
    realm_access: z.object({ roles: z.array(z.string().max(2048)).max(1000) }).optional(),
    resource_access: z
      .record(z.string().max(2048), z.object({ roles: z.array(z.string().max(2048)).max(1000) }))
      .optional(),
  })
  .strip();

const body = z
  .object({
    text: z.string(),
    tokens: z
      .array(
        z.object({
          n: z.number().int().min(1).max(1000),
          claims: claims.nullable(),
          problem: z.string().max(500).nullish(),
        }),
      )
      .max(100)
      .optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    timeZone: z.string().max(64).optional(),
    keycloakVersion: z.string().max(32).optional(),
  })
  .strict();

/**
 * POST /api/diagnose/evidence: diagnoses pasted evidence (log lines in any form, event JSON, curl -v output,
 * HTTP responses, WWW-Authenticate headers, error bodies, exceptions, tokens). The Diagnose page decodes tokens
 * in the browser and sends only their claims (`tokens`, with `[token n]` in the text); a token sent in the text
 * is decoded here the same way. Nothing is stored or logged, and the body is never echoed: a malformed request
 * gets a fixed message. Personal values are masked for viewers.
 */
export const POST = route(
  {
    body,
    bodyError:
      'The body must be JSON: {"text": "<the evidence>"} with optional tokens, date (yyyy-MM-dd), timeZone and keycloakVersion.',
  },
  async ({ viewer, body: input, request }) => {
    const length = Number(request.headers.get("content-length") ?? "0");
    if (length > MAX_BODY_BYTES) throw tooLarge(`The request is ${length} bytes`);
    try {
      const shown = diagnosePastedEvidence(input, viewer.role, Date.now());
      const answer =
        shown.answer === null
          ? null
          : {
              ...shown.answer,
              fixHref:
                fixLink({
                  cause: shown.answer.cause,
                  realm: shown.answer.fill.realm,
                  clientId: shown.answer.fill.clientId,
                  userId: shown.answer.fill.userId,
                  audience: shown.answer.fill.audience,
                }) ?? shown.answer.fix,
            };
      return { ...shown, answer };
    } catch (error) {
      if (error instanceof EvidenceInputError) throw new AppError("too_large", error.message);
      throw error;
    }
  },
);

function tooLarge(what: string): AppError {
  return new AppError(
    "too_large",
    `${what}; pasted evidence is limited to ${MAX_EVIDENCE_CHARS.toLocaleString("en-US")} characters. Paste the lines around the failure, or import the whole log on the Import page.`,
  );
}
