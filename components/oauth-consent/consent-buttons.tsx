"use client";

import { useFormStatus } from "react-dom";

/** Allow / Deny; both are disabled once one is pressed, so a double click sends one answer. */
export function ConsentButtons() {
  const { pending, data } = useFormStatus();
  const chosen = pending ? data?.get("decision") : null;
  return (
    <div className="flex gap-3">
      <button
        type="submit"
        name="decision"
        value="deny"
        disabled={pending}
        className="flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {chosen === "deny" ? "Denying…" : "Deny"}
      </button>
      <button
        type="submit"
        name="decision"
        value="allow"
        disabled={pending}
        className="flex-1 rounded-md bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {chosen === "allow" ? "Allowing…" : "Allow"}
      </button>
    </div>
  );
}
