import { randomBytes } from "node:crypto";
import { HEADERS, signReport } from "./signature";

/**
 * The few lines an API needs to tell realmwatch about a denial it made. Used by the Express and Next.js
 * helpers beside this file; copy it into a service as it is (it depends only on node:crypto and fetch).
 */
export interface ReporterConfig {
  /** realmwatch base URL, e.g. https://realmwatch.example.com */
  url: string;
  sourceId: string;
  /** The source's report key (shown once when it is created). */
  key: string;
  /** Never let reporting slow or break the API: give up after this long. */
  timeoutMs?: number;
}

export interface Requirement {
  realmRoles?: string[];
  clientRoles?: { clientId: string; roles: string[] }[];
  audience?: string[];
  scopes?: string[];
}

export interface DenialReport {
  realm?: string;
  method: string;
  path: string;
  status: number;
  required?: Requirement;
  /** The bearer token the request carried. realmwatch decodes its claims and discards it. */
  token?: string;
  time?: number;
}

export async function sendDenialReport(config: ReporterConfig, report: DenialReport): Promise<boolean> {
  const body = JSON.stringify(report);
  const timestamp = Date.now();
  const nonce = randomBytes(18).toString("base64url");
  try {
    const res = await fetch(`${config.url.replace(/\/+$/, "")}/api/reports`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [HEADERS.source]: config.sourceId,
        [HEADERS.timestamp]: String(timestamp),
        [HEADERS.nonce]: nonce,
        [HEADERS.signature]: signReport(config.key, timestamp, nonce, body),
      },
      body,
      signal: AbortSignal.timeout(config.timeoutMs ?? 2000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

export function bearerToken(authorization: string | null | undefined): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization ?? "");
  return m?.[1];
}
