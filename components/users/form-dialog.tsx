"use client";

import { useEffect, useId, useRef } from "react";

/**
 * A modal holding a form or details (native <dialog>, so focus and Escape work). Mount it only while open:
 * each instance has its own title id, so many rows can each have one.
 */
export function FormDialog({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: React.ReactNode;
  /** A wider dialog for tables of details. */
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      aria-labelledby={titleId}
      className={`m-auto w-full ${wide ? "max-w-2xl" : "max-w-md"} rounded-xl border border-slate-200 p-0 text-left shadow-xl backdrop:bg-slate-900/40`}
    >
      <div className="p-6">
        <h2 id={titleId} className="mb-4 text-lg font-semibold">
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}
