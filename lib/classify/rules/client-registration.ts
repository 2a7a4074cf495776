import { capValue } from "@/lib/classify/evidence";
import type { Rule } from "@/lib/classify/rule";

/**
 * Client registration policies (OpenID Connect dynamic registration, `/realms/{realm}/clients-registrations/`).
 * When a policy refuses, ClientRegistrationPolicyManager#triggerPolicies adds the detail
 * `client_registration_policy=<the policy's name>` to the event, which fails with `not_allowed`
 * (CLIENT_REGISTER_ERROR, or CLIENT_UPDATE_ERROR, CLIENT_INFO_ERROR, CLIENT_DELETE_ERROR for the other
 * operations); the caller gets 403 `insufficient_scope`, "Policy '<name>' rejected request to
 * client-registration service. Details: <message>". The names are those of the default policies
 * (DefaultClientRegistrationPolicies); a realm can rename them, and the generic rule then names the policy.
 */
const REGISTRATION_TYPES = /^CLIENT_(?:REGISTER|UPDATE|INFO|DELETE)_ERROR$/;

export const CLIENT_REGISTRATION_RULES: readonly Rule[] = [
  {
    id: "client-registration-trusted-hosts",
    cause: "client-config",
    confidence: 0.9,
    match: { type: REGISTRATION_TYPES, details: { client_registration_policy: "Trusted Hosts" } },
    // TrustedHostClientRegistrationPolicy: "Host not trusted." (the sender's address) or "URL/URI doesn't match
    // any trusted host or trusted domain" (the client's redirect, root, base or admin URLs).
    evidence:
      "the realm's Trusted Hosts policy refused an anonymous registration: the sending host is not listed (behind a proxy Keycloak sees the proxy's address), or a redirect or base URL of the new client is on a host that is not trusted",
  },
  {
    id: "client-registration-allowed-scopes",
    cause: "missing-scope",
    confidence: 0.9,
    match: { type: REGISTRATION_TYPES, details: { client_registration_policy: "Allowed Client Scopes" } },
    // ClientScopesClientRegistrationPolicy: "Not permitted to use specified clientScope".
    evidence:
      "the realm's Allowed Client Scopes policy refused the registration: the new client asked for a client scope that is neither in the policy's list nor a realm default scope",
  },
  {
    id: "client-registration-policy",
    cause: "client-config",
    confidence: 0.75,
    match: { type: REGISTRATION_TYPES, details: { client_registration_policy: { present: true } } },
    evidence: "a client registration policy of the realm refused the request",
    explain: (f) => {
      const policy = f.input.details?.client_registration_policy;
      return policy == null
        ? null
        : `the realm's client registration policy '${capValue(policy)}' refused the request (Realm settings, Client registration)`;
    },
  },
];
