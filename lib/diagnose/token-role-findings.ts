import type { TokenClaims } from "@/lib/diagnose/token-claims";
import type { Finding, FindingContext } from "@/lib/diagnose/token-findings";

const list = (values: string[]) => (values.length === 0 ? "(none)" : values.join(", "));

function clientsHolding(claims: TokenClaims, role: string, except?: string): string[] {
  return Object.entries(claims.clientRoles)
    .filter(([client, roles]) => client !== except && roles.includes(role))
    .map(([client]) => client);
}

function noRoleClaims(claims: TokenClaims): string {
  return claims.hasRoleClaims
    ? ""
    : " The token has no realm_access or resource_access at all: the roles client scope is not applied to the client.";
}

/**
 * One finding per required role. A miss says where the role is instead: a realm role where the API reads
 * a client role (or the reverse) is the realm-vs-client confusion, not a missing assignment.
 */
export function roleFindings({ claims, required }: FindingContext): Finding[] {
  const findings: Finding[] = [];
  for (const role of required.realmRoles ?? []) {
    if (claims.realmRoles.includes(role)) {
      findings.push({
        id: "role",
        status: "pass",
        title: `Realm role ${role}`,
        evidence: "in realm_access.roles",
      });
      continue;
    }
    const holders = clientsHolding(claims, role);
    findings.push({
      id: "role",
      status: "fail",
      title:
        holders.length > 0
          ? `${role} is a client role here, the API wants the realm role`
          : `Realm role ${role} missing`,
      evidence:
        holders.length > 0
          ? `${role} is in resource_access.${holders[0]}.roles, not in realm_access.roles (${list(claims.realmRoles)}): realm role and client role are different roles.`
          : `realm_access.roles is ${list(claims.realmRoles)}.${noRoleClaims(claims)}`,
      cause: "missing-role",
    });
  }
  for (const { clientId, roles } of required.clientRoles ?? []) {
    for (const role of roles) {
      const held = claims.clientRoles[clientId] ?? [];
      if (held.includes(role)) {
        findings.push({
          id: "role",
          status: "pass",
          title: `Client role ${role} of ${clientId}`,
          evidence: `in resource_access.${clientId}.roles`,
        });
        continue;
      }
      const asRealm = claims.realmRoles.includes(role);
      const elsewhere = clientsHolding(claims, role, clientId);
      let evidence = `resource_access.${clientId}.roles is ${list(held)}.${noRoleClaims(claims)}`;
      if (asRealm)
        evidence = `${role} is in realm_access.roles, but the API reads resource_access.${clientId}.roles (${list(held)}): the role was assigned as a realm role instead of a client role of ${clientId}.`;
      else if (elsewhere.length > 0)
        evidence = `${role} belongs to client ${elsewhere[0]} in this token, not to ${clientId}.`;
      findings.push({
        id: "role",
        status: "fail",
        title: asRealm
          ? `${role} is a realm role here, the API wants the client role of ${clientId}`
          : `Client role ${role} of ${clientId} missing`,
        evidence,
        cause: "missing-role",
      });
    }
  }
  return findings;
}
