"use client";

import { signOut } from "next-auth/react";

/** "Not you?": signs out, then signs in again and comes back to the same authorization request. */
export function SwitchAccountButton({ authorizeUrl }: { authorizeUrl: string }) {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: `/signin?callbackUrl=${encodeURIComponent(authorizeUrl)}` })}
      className="shrink-0 rounded-md px-2 py-1 text-sm font-medium text-blue-700 hover:bg-blue-50 hover:underline"
    >
      Not you? Switch account
    </button>
  );
}
