import { classifyIfFailure } from "@/lib/classify/classify";
import type { Classification, ClassifyContext, ClassifyInput } from "@/lib/classify/types";
import type { AccessLogRecord } from "@/lib/logs/access-log-record";

/** The classifier input for an access-log line: an HTTP_DENIAL with the request and any bearer identity. */
export function accessLogInput(record: AccessLogRecord): ClassifyInput {
  return {
    origin: "access-log",
    type: "HTTP_DENIAL",
    clientId: record.clientId ?? null,
    userId: record.bearerSubject ?? null,
    ipAddress: record.ipAddress,
    http: {
      method: record.method,
      path: record.path,
      status: record.status,
      host: record.host ?? null,
      origin: record.origin ?? null,
      userAgent: record.userAgent ?? null,
    },
  };
}

/** Classifies an access-log line; null below status 400. Pair with isDenialCandidate to choose what to keep. */
export function classifyAccessLogRecord(
  record: AccessLogRecord,
  ctx?: ClassifyContext,
): Classification | null {
  return classifyIfFailure(accessLogInput(record), ctx);
}
