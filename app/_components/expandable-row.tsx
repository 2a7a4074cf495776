"use client";

import { type ReactNode, useId, useState } from "react";

/**
 * A table row whose details open in a row below it: a disclosure button (aria-expanded, aria-controls) in the
 * first cell, the detail row kept in the DOM but hidden while closed.
 */
export function ExpandableRow({
  cells,
  detail,
  colSpan,
  label,
  className,
  testId,
}: {
  cells: ReactNode;
  detail: ReactNode;
  colSpan: number;
  label: string;
  className?: string;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <tr className={className} data-testid={testId}>
        <td>
          <button
            type="button"
            aria-expanded={open}
            aria-controls={id}
            onClick={() => setOpen((o) => !o)}
            data-testid="expand-row"
          >
            <span aria-hidden="true">{open ? "▾" : "▸"}</span>
            <span className="visually-hidden">{label}</span>
          </button>
        </td>
        {cells}
      </tr>
      <tr id={id} className="detail-row" hidden={!open}>
        <td colSpan={colSpan}>{detail}</td>
      </tr>
    </>
  );
}
