import { decideAuthorization } from "@/app/integrations/oauth2/authorize/actions";

/** Allow / Deny, posted to the server action with the request and its CSRF token. */
export function ConsentForm({ query, token, appName }: { query: string; token: string; appName: string }) {
  return (
    <form action={decideAuthorization} aria-label={`Authorize ${appName}`} className="flex gap-3">
      <input type="hidden" name="query" value={query} />
      <input type="hidden" name="consent_token" value={token} />
      <button type="submit" name="decision" value="allow" className="flex-1 rounded-md bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800">
        Allow
      </button>
      <button type="submit" name="decision" value="deny" className="flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
        Deny
      </button>
    </form>
  );
}
