/** A Keycloak identifier (USER_INFO_REQUEST_ERROR, invalid_client_credentials) that may wrap only after "_". */
export function Ident({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  const parts = value.split("_");
  return (
    <span className="ident">
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string, in a fixed order
        <span key={i}>
          {part}
          {i < parts.length - 1 ? (
            <>
              _<wbr />
            </>
          ) : null}
        </span>
      ))}
    </span>
  );
}
