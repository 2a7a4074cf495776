import type { ReactNode } from "react";

/** A page's title and what the page is for, with its actions (presets, buttons) beside them. */
export function PageHead({
  title,
  intro,
  children,
}: {
  title: string;
  intro: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
      </div>
      {children}
    </div>
  );
}
