"use client";

import { useEffect } from "react";

/** Each body cell of every data table gets its column's heading as `data-label` (colspans counted). */
function labelCells(): void {
  for (const table of document.querySelectorAll<HTMLTableElement>("table.data-table")) {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const label = cell.colSpan === 1 ? (heads[column] ?? "") : "";
          if (label && cell.dataset.label !== label) cell.dataset.label = label;
          column += cell.colSpan;
        }
      }
    }
  }
}

/**
 * On a narrow screen (globals.css, the stacked-card block) a table row is a card and each cell shows its column's
 * heading before its value. The headings are written into the cells here, once and again whenever rows change
 * (live refresh, paging), so no table has to repeat its headings in every cell.
 */
export function TableCardLabels() {
  useEffect(() => {
    labelCells();
    const observer = new MutationObserver(labelCells);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return null;
}
