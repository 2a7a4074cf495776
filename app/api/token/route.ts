import { z } from "zod";
import { route } from "@/lib/auth/route";
import { analyzeToken } from "@/lib/diagnose/token-analyzer";
import { MAX_TOKEN_LENGTH } from "@/lib/keycloak/jwt";

export const dynamic = "force-dynamic";

const names = z.array(z.string().trim().min(1).max(255)).max(50);

const body = z
  .object({
    token: z.string().min(1).max(MAX_TOKEN_LENGTH),
    required: z
      .object({
        realmRoles: names.optional(),
        clientRoles: z
          .array(z.object({ clientId: z.string().trim().min(1).max(255), roles: names }))
          .max(20)
          .optional(),
        audience: z.string().trim().min(1).max(255).optional(),
        scopes: names.optional(),
        endpoint: z.enum(["userinfo", "api"]).optional(),
      })
      .strict()
      .optional(),
    knownIssuers: z.array(z.string().max(2048)).max(20).optional(),
    /** Epoch ms of the failing request; the server's clock when absent. */
    at: z.number().int().positive().optional(),
    allowedSkewSeconds: z.number().int().min(0).max(3600).optional(),
  })
  .strict();

/**
 * POST /api/token: the token analyser for scripts. The token lives only in this request: the handler
 * touches no database, logs nothing, and answers a bad body with a fixed message (a validation error
 * could otherwise echo the input). The answer is not cached.
 */
export const POST = route(
  {
    body,
    bodyError: `Send JSON {"token": "<JWT>", "required"?: {...}, "knownIssuers"?: [...], "at"?: epochMs}; the token at most ${MAX_TOKEN_LENGTH} characters.`,
  },
  ({ body: { token, required, knownIssuers, at, allowedSkewSeconds } }) =>
    analyzeToken({ token, required, knownIssuers, now: at ?? Date.now(), allowedSkewSeconds }),
);
