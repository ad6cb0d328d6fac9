import type { ReactNode } from "react";

/** The banner for credentials that have expired (red) or expire soon (amber): a title, then the details. */
export function ExpiryBanner({ expired, title, testId, children }: { expired: boolean; title: string; testId: string; children: ReactNode }) {
  return (
    <div
      role="alert"
      data-testid={testId}
      className={`mb-6 rounded-lg border p-4 text-sm ${expired ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
    >
      <p className="font-semibold">{title}</p>
      {children}
    </div>
  );
}
