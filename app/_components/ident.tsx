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
