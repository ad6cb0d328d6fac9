import Link from "next/link";
import { formatDateTime } from "@/components/api-keys/format";
import type { OAuthAppSummary } from "@/lib/services/oauth-apps/view";
import { appPath, whenUsed } from "./labels";

/** Setup > System > OAuth2 Applications: every application, each linking to its page. */
export function AppsTable({ apps }: { apps: OAuthAppSummary[] }) {
  if (apps.length === 0) {
    return (
      <p data-testid="no-apps" className="rounded-md bg-slate-50 px-3 py-6 text-center text-sm text-slate-500">
        No OAuth2 applications yet. Create one to let an integration reach the API without a user&apos;s API key.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table aria-label="OAuth2 applications" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-3">Name</th>
            <th className="py-2 pr-3">Type</th>
            <th className="py-2 pr-3">Client ID</th>
            <th className="py-2 pr-3">Created</th>
            <th className="py-2">Last used</th>
          </tr>
        </thead>
        <tbody>
          {apps.map((a) => (
            <tr key={a.clientId} data-testid="app-row" className="border-b border-slate-100 align-top">
              <td className="py-2 pr-3 font-medium">
                <Link href={appPath(a.clientId)} className="text-blue-700 hover:underline">
                  {a.name}
                </Link>
              </td>
              <td className="py-2 pr-3">{a.typeLabel}</td>
              <td className="py-2 pr-3">
                <code className="font-mono text-xs break-all">{a.clientId}</code>
              </td>
              <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{formatDateTime(a.createdAt)}</td>
              <td className="whitespace-nowrap py-2 text-xs text-slate-600">{whenUsed(a.lastUsedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
