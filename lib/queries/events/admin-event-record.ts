import { stringRecord } from "./string-record";

/** One stored admin event as the explorer reads it, in Keycloak's AdminEventRepresentation shape. */
export interface AdminEventRecord {
  sourceId: string;
  realm: string;
  id: string;
  time: number;
  realmId: string | null;
  authDetails: {
    realmId: string | null;
    /** The internal client UUID of the admin's client, as Keycloak stores it. */
    clientId: string | null;
    userId: string | null;
    ipAddress: string | null;
  };
  operationType: string;
  resourceType: string | null;
  resourcePath: string | null;
  representation: string | null;
  error: string | null;
  details: Record<string, string> | null;
  origin: string;
}

export interface AdminEventDbRow {
  source_id: string;
  realm: string;
  id: string;
  time: Date;
  realm_id: string | null;
  auth_realm_id: string | null;
  auth_client_id: string | null;
  auth_user_id: string | null;
  auth_ip_address: string | null;
  operation_type: string;
  resource_type: string | null;
  resource_path: string | null;
  representation: string | null;
  error: string | null;
  details: unknown;
  origin: string;
}

export function toAdminEventRecord(r: AdminEventDbRow): AdminEventRecord {
  return {
    sourceId: r.source_id,
    realm: r.realm,
    id: r.id,
    time: r.time.getTime(),
    realmId: r.realm_id,
    authDetails: {
      realmId: r.auth_realm_id,
      clientId: r.auth_client_id,
      userId: r.auth_user_id,
      ipAddress: r.auth_ip_address,
    },
    operationType: r.operation_type,
    resourceType: r.resource_type,
    resourcePath: r.resource_path,
    representation: r.representation,
    error: r.error,
    details: stringRecord(r.details),
    origin: r.origin,
  };
}
