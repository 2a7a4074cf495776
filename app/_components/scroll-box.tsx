import type { ReactNode } from "react";

/**
 * A wide table's own horizontal scroll: focusable, so keyboard users can scroll it too (WCAG 2.1.1; axe-core's
 * scrollable-region-focusable).
 */
export function ScrollBox({ children }: { children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard
    <div className="table-wrap" tabIndex={0}>
      {children}
    </div>
  );
}
