#!/usr/bin/env bash
# Produces the classic Keycloak 403s against the compose stack's Keycloak, with curl only (no jq).
# Usage: docker/produce-403s.sh [rounds]     KC=http://localhost:8080 by default (see docs/production.md).
set -euo pipefail

KC="${KC:-http://localhost:8080}"
REALM="${REALM:-acme}"
ROUNDS="${1:-3}"
OIDC="$KC/realms/$REALM/protocol/openid-connect"

# The value of a top-level string field in a JSON body (enough for token responses).
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

# Prints the HTTP status of a curl call and checks it is the one expected.
expect_status() {
  local want="$1" label="$2"
  shift 2
  local got
  got="$(curl -s -o /dev/null -w '%{http_code}' "$@")"
  if [[ "$got" == "$want" ]]; then
    printf '  %-58s %s\n' "$label" "$got"
  else
    printf '  %-58s %s (expected %s)\n' "$label" "$got" "$want" >&2
  fi
}

password_token() { # client username password [scope]
  curl -s "$OIDC/token" -d grant_type=password -d "client_id=$1" -d "username=$2" -d "password=$3" \
    ${4:+-d "scope=$4"} | json_field access_token
}

for ((i = 1; i <= ROUNDS; i++)); do
  echo "round $i/$ROUNDS against $KC"

  # 1. userinfo with a token issued without the openid scope: USER_INFO_REQUEST_ERROR, "Missing openid scope".
  token="$(password_token orders-cli alice alice "profile")"
  expect_status 403 "userinfo without openid scope (orders-cli)" -H "Authorization: Bearer $token" "$OIDC/userinfo"

  # 2. a public client calling introspection: INTROSPECT_TOKEN_ERROR, detail "Client not allowed.".
  token="$(password_token orders-spa alice alice openid)"
  expect_status 403 "introspection by a public client (orders-spa)" \
    -d client_id=orders-spa -d "token=$token" "$OIDC/token/introspect"

  # 3. a service account without realm-management roles on the Admin REST API: 403, no event (access log only).
  bot="$(curl -s "$OIDC/token" -d grant_type=client_credentials -d client_id=reporting-bot \
    -d client_secret=reporting-bot-secret | json_field access_token)"
  expect_status 403 "Admin REST without view-users (reporting-bot)" \
    -H "Authorization: Bearer $bot" "$KC/admin/realms/$REALM/users"

  # 4. standard token exchange of a token not meant for the gateway: TOKEN_EXCHANGE_ERROR, not_allowed,
  #    "client is not within the token audience".
  token="$(password_token orders-cli alice alice openid)"
  expect_status 403 "token exchange outside the token audience (gateway)" \
    -u gateway:gateway-secret -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \
    -d "subject_token=$token" -d subject_token_type=urn:ietf:params:oauth:token-type:access_token "$OIDC/token"

  # 5. a realm that requires HTTPS, over plain http from outside the container network: 403 "HTTPS required",
  #    no event. Keycloak lets private addresses through under "external", so realm "secure" uses "all".
  expect_status 403 "token over http in an HTTPS-only realm (secure)" \
    -d grant_type=password -d client_id=legacy-app -d username=bob -d password=bob \
    "$KC/realms/secure/protocol/openid-connect/token"

  # And a few plain login failures around them, as real traffic has.
  expect_status 401 "wrong password (alice)" -d grant_type=password -d client_id=orders-cli \
    -d username=alice -d password=wrong "$OIDC/token"
done
