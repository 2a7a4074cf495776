import type { ReactNode } from "react";
import { type Column, DataTable, DETAILS_COLUMN } from "./data-table";
import { ExpandableRow } from "./expandable-row";

/** What a table of stored events is given: the events, newest first, the viewer's zone, a caption. */
export interface EventTableProps<E> {
  events: E[];
  timeZone: string;
  caption: string;
}

/** One row of an event table: its cells after the disclosure button, and what it opens to. */
export interface EventRow {
  label: string;
  cells: ReactNode;
  detail: ReactNode;
  className?: string;
}

/**
 * A table of stored events (user or admin) whose rows open to every field: a disclosure column first, then
 * `columns`; each event is keyed by source, realm and id, as it is stored.
 */
export function EventTable<E extends { sourceId: string; realm: string; id: string }>({
  events,
  caption,
  testId,
  rowTestId,
  columns,
  row,
}: {
  events: E[];
  caption: string;
  testId: string;
  rowTestId: string;
  columns: Column[];
  row: (e: E) => EventRow;
}) {
  return (
    <DataTable columns={[DETAILS_COLUMN, ...columns]} caption={caption} testId={testId} wrap>
      {events.map((e) => (
        <ExpandableRow
          key={`${e.sourceId}/${e.realm}/${e.id}`}
          testId={rowTestId}
          colSpan={columns.length + 1}
          {...row(e)}
        />
      ))}
    </DataTable>
  );
}
