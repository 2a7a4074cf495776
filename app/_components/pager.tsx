import { hrefWith } from "@/app/_components/format/href-with";

/** Newer / older links of a keyset-paged list; every filter stays in the URL. */
export function Pager({
  path,
  params,
  newer,
  older,
}: {
  path: string;
  params: URLSearchParams;
  newer: string | null;
  older: string | null;
}) {
  if (!newer && !older) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {newer ? (
        <a className="button" href={hrefWith(path, params, { before: newer, after: null })} rel="prev">
          ← Newer
        </a>
      ) : (
        <span />
      )}
      {older ? (
        <a
          className="button"
          href={hrefWith(path, params, { after: older, before: null })}
          rel="next"
          data-testid="older-page"
        >
          Older →
        </a>
      ) : null}
    </nav>
  );
}
