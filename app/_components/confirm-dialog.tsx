"use client";

import { type ReactNode, type RefObject, useId } from "react";

/**
 * A modal question before a change that cannot be taken back: the caller opens it with `dialog.current.showModal()`;
 * `actions` are the buttons that go ahead, Cancel closes it.
 */
export function ConfirmDialog({
  dialog,
  title,
  children,
  actions,
}: {
  dialog: RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  children: ReactNode;
  actions: ReactNode;
}) {
  const uid = useId();
  return (
    <dialog ref={dialog} aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>{title}</h2>
      {children}
      <div className="actions">
        {actions}
        <button type="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
