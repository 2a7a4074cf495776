import { classify, classifyIfFailure } from "@/lib/classify/classify";
import type { ClassifyContext, ResourceServerReport } from "@/lib/classify/types";
import { requestOrigin } from "@/lib/ingest/import/request-origin";
import type { UserEventRow } from "@/lib/keycloak/event-rows";

/**
 * Classification at ingest: a failure row gets its cause, rule, confidence, evidence and the catalogue version
 * that decided them, stored with the row (re-classified in batches when the catalogue changes).
 */
export function classifyRow(row: UserEventRow, ctx?: ClassifyContext): void {
  if (!row.isFailure) return;
  const c = classifyIfFailure(
    {
      origin: row.origin,
      type: row.type,
      error: row.error,
      clientId: row.clientId,
      userId: row.userId,
      ipAddress: row.ipAddress,
      details: row.details,
      http:
        row.httpStatus !== null
          ? {
              method: row.httpMethod ?? "GET",
              path: row.httpPath ?? "/",
              status: row.httpStatus,
              host: row.details?.host ?? null,
              origin: requestOrigin({ origin: row.details?.origin, referer: row.details?.referer }),
              userAgent: row.details?.user_agent ?? null,
            }
          : null,
    },
    ctx,
  );
  if (!c) return;
  row.cause = c.cause;
  row.ruleId = c.ruleId;
  row.confidence = c.confidence;
  row.evidence = c.evidence;
  row.catalogueVersion = c.catalogueVersion;
}

/** The verdict on a denial a resource server reported. */
export function classifyReport(report: ResourceServerReport) {
  return classify({
    origin: "report",
    type: "HTTP_DENIAL",
    error: report.status === 401 ? "unauthorized" : "forbidden",
    clientId: report.claims.azp ?? null,
    userId: report.claims.sub ?? null,
    http: { method: report.method, path: report.path, status: report.status },
    report,
  });
}
