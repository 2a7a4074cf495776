/**
 * Keycloak's closed enums as the emulated server knows them. The server validates query parameters with
 * them exactly as Keycloak's `valueOf` does; realmwatch itself must treat these sets as open.
 */

/**
 * EventType pairs in declaration order (server-spi-private/.../events/EventType.java, 26.x): the base name,
 * `saveByDefault` of the base type and of its `_ERROR` twin. 66 pairs = 132 types, 103 saved by default,
 * which matches what a 26.7 server lists in a fresh realm's events/config.
 */
const EVENT_TYPE_PAIRS: ReadonlyArray<readonly [string, boolean, boolean]> = [
  ["LOGIN", true, true],
  ["REGISTER", true, true],
  ["LOGOUT", true, true],
  ["CODE_TO_TOKEN", true, true],
  ["CLIENT_LOGIN", true, true],
  ["REFRESH_TOKEN", false, false],
  ["VALIDATE_ACCESS_TOKEN", false, false],
  ["INTROSPECT_TOKEN", false, false],
  ["FEDERATED_IDENTITY_LINK", true, true],
  ["REMOVE_FEDERATED_IDENTITY", true, true],
  ["UPDATE_EMAIL", true, true],
  ["UPDATE_PROFILE", true, true],
  ["UPDATE_PASSWORD", true, true],
  ["UPDATE_TOTP", true, true],
  ["VERIFY_EMAIL", true, true],
  ["VERIFY_PROFILE", true, true],
  ["REMOVE_TOTP", true, true],
  ["GRANT_CONSENT", true, true],
  ["UPDATE_CONSENT", true, true],
  ["REVOKE_GRANT", true, true],
  ["SEND_VERIFY_EMAIL", true, true],
  ["SEND_RESET_PASSWORD", true, true],
  ["SEND_IDENTITY_PROVIDER_LINK", true, true],
  ["RESET_PASSWORD", true, true],
  ["RESTART_AUTHENTICATION", true, true],
  ["INVALID_SIGNATURE", false, false],
  ["REGISTER_NODE", false, false],
  ["UNREGISTER_NODE", false, false],
  ["USER_INFO_REQUEST", false, false],
  ["IDENTITY_PROVIDER_LINK_ACCOUNT", true, true],
  ["IDENTITY_PROVIDER_LOGIN", true, true],
  ["IDENTITY_PROVIDER_FIRST_LOGIN", true, true],
  ["IDENTITY_PROVIDER_POST_LOGIN", true, true],
  ["IDENTITY_PROVIDER_RESPONSE", false, false],
  ["IDENTITY_PROVIDER_RETRIEVE_TOKEN", false, false],
  ["IMPERSONATE", true, true],
  ["CUSTOM_REQUIRED_ACTION", true, true],
  ["EXECUTE_ACTIONS", true, true],
  ["EXECUTE_ACTION_TOKEN", true, true],
  ["CLIENT_INFO", false, false],
  ["CLIENT_REGISTER", true, true],
  ["CLIENT_UPDATE", true, true],
  ["CLIENT_DELETE", true, true],
  ["CLIENT_INITIATED_ACCOUNT_LINKING", true, true],
  ["TOKEN_EXCHANGE", true, true],
  ["OAUTH2_DEVICE_AUTH", true, true],
  ["OAUTH2_DEVICE_VERIFY_USER_CODE", true, true],
  ["OAUTH2_DEVICE_CODE_TO_TOKEN", true, true],
  ["AUTHREQID_TO_TOKEN", true, true],
  ["PERMISSION_TOKEN", true, false],
  ["DELETE_ACCOUNT", true, true],
  ["PUSHED_AUTHORIZATION_REQUEST", false, false],
  ["USER_DISABLED_BY_PERMANENT_LOCKOUT", true, false],
  ["USER_DISABLED_BY_TEMPORARY_LOCKOUT", true, false],
  ["OAUTH2_EXTENSION_GRANT", true, true],
  ["FEDERATED_IDENTITY_OVERRIDE_LINK", true, true],
  ["UPDATE_CREDENTIAL", true, true],
  ["REMOVE_CREDENTIAL", true, true],
  ["INVITE_ORG", true, true],
  ["USER_SESSION_DELETED", false, false],
  ["VERIFIABLE_CREDENTIAL_REQUEST", true, true],
  ["VERIFIABLE_CREDENTIAL_OFFER_REQUEST", true, true],
  ["VERIFIABLE_CREDENTIAL_CREATE_OFFER", true, true],
  ["VERIFIABLE_CREDENTIAL_PRE_AUTHORIZED_GRANT", true, true],
  ["VERIFIABLE_CREDENTIAL_NONCE_REQUEST", false, false],
  ["JWT_AUTHORIZATION_GRANT", true, true],
];

export const EVENT_TYPES: ReadonlyArray<{ name: string; saveByDefault: boolean }> = EVENT_TYPE_PAIRS.flatMap(
  ([name, base, error]) => [
    { name, saveByDefault: base },
    { name: `${name}_ERROR`, saveByDefault: error },
  ],
);

export const EVENT_TYPE_NAMES: ReadonlySet<string> = new Set(EVENT_TYPES.map((t) => t.name));

/** What GET events/config answers for `enabledEventTypes` when the realm stores none. */
export const SAVE_BY_DEFAULT_TYPES: readonly string[] = EVENT_TYPES.filter((t) => t.saveByDefault).map(
  (t) => t.name,
);

const SAVE_BY_DEFAULT_SET: ReadonlySet<string> = new Set(SAVE_BY_DEFAULT_TYPES);

/** EventBuilder#sendNow's store filter. */
export function isEventTypeSaved(type: string, enabledEventTypes: readonly string[]): boolean {
  return enabledEventTypes.length === 0 ? SAVE_BY_DEFAULT_SET.has(type) : enabledEventTypes.includes(type);
}

export const OPERATION_TYPES: ReadonlySet<string> = new Set(["CREATE", "UPDATE", "DELETE", "ACTION"]);

export const RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "REALM",
  "REALM_ROLE",
  "REALM_ROLE_MAPPING",
  "REALM_SCOPE_MAPPING",
  "AUTH_FLOW",
  "AUTH_EXECUTION_FLOW",
  "AUTH_EXECUTION",
  "AUTHENTICATOR_CONFIG",
  "REQUIRED_ACTION",
  "IDENTITY_PROVIDER",
  "IDENTITY_PROVIDER_MAPPER",
  "PROTOCOL_MAPPER",
  "USER",
  "USER_LOGIN_FAILURE",
  "USER_SESSION",
  "USER_FEDERATION_PROVIDER",
  "USER_FEDERATION_MAPPER",
  "GROUP",
  "GROUP_MEMBERSHIP",
  "CLIENT",
  "CLIENT_INITIAL_ACCESS_MODEL",
  "CLIENT_ROLE",
  "CLIENT_ROLE_MAPPING",
  "CLIENT_SCOPE",
  "CLIENT_SCOPE_MAPPING",
  "CLIENT_SCOPE_CLIENT_MAPPING",
  "CLUSTER_NODE",
  "COMPONENT",
  "AUTHORIZATION_RESOURCE_SERVER",
  "AUTHORIZATION_RESOURCE",
  "AUTHORIZATION_SCOPE",
  "AUTHORIZATION_POLICY",
  "CUSTOM",
  "USER_PROFILE",
  "ORGANIZATION",
  "ORGANIZATION_MEMBERSHIP",
]);

/** Realm-level event listeners a realm may name, and the global ones it may not (26.x serverinfo). */
export const REALM_EVENT_LISTENERS: ReadonlySet<string> = new Set(["jboss-logging", "email"]);
export const GLOBAL_EVENT_LISTENERS: ReadonlySet<string> = new Set([
  "workflow-event-listener",
  "micrometer-user-event-metrics",
]);
