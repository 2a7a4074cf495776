/**
 * A Keycloak identifier (USER_INFO_REQUEST_ERROR, invalid_client_credentials, orders-api.v2) that may wrap only
 * after one of its separators ("_", "-", ".", "/", "@", ":"), never inside a word.
 */
export function Ident({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  const parts = value.match(/[^_\-./@:]+[_\-./@:]*|[_\-./@:]+/g) ?? [value];
  return (
    <span className="ident">
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string, in a fixed order
        <span key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </span>
      ))}
    </span>
  );
}

/**
 * Free text (a failure's evidence, a reason Keycloak wrote) in which each long token that holds a separator is an
 * {@link Ident}: "USER_DISABLED_BY_TEMPORARY_LOCKOUT" or a redirect URI wraps at its separators on a phone instead
 * of pushing the page sideways. Tokens without a separator are left to the container's `overflow-wrap`.
 */
export function IdentText({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  const tokens = text.split(/(\s+)/);
  return (
    <>
      {tokens.map((token, i) =>
        token.length > 12 && /[_\-./@:]/.test(token) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the tokens of one string, in a fixed order
          <Ident key={i} value={token} />
        ) : (
          token
        ),
      )}
    </>
  );
}
