import type { ReactNode } from "react";
import { ScrollBox } from "./scroll-box";

/** A column heading: its text, or its content and whether the column holds numbers (right-aligned). */
export type Column = string | { title: ReactNode; num?: boolean };

/** A column of numbers: its heading and cells are right-aligned. */
export const num = (title: ReactNode): Column => ({ title, num: true });

/** The first column of a table whose rows open: a heading only screen readers hear. */
export const DETAILS_COLUMN: Column = { title: <span className="visually-hidden">Details</span> };

/**
 * The one table of the app: `data-table` styling, headings from `columns`, the rows as children; `caption` is for
 * screen readers, `wrap` lets a wide table scroll on its own.
 */
export function DataTable({
  columns,
  caption,
  testId,
  wrap = false,
  children,
}: {
  columns: Column[];
  caption?: ReactNode;
  testId?: string;
  wrap?: boolean;
  children: ReactNode;
}) {
  const table = (
    <table className="data-table" data-testid={testId}>
      {caption === undefined ? null : <caption className="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((c, i) =>
            typeof c === "string" ? (
              <th key={c} scope="col">
                {c}
              </th>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: the headings are fixed; their order is their identity
              <th key={i} scope="col" className={c.num ? "num" : undefined}>
                {c.title}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  return wrap ? <ScrollBox>{table}</ScrollBox> : table;
}
