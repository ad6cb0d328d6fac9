import { decideAuthorization } from "@/app/integrations/oauth2/authorize/actions";
import { ConsentButtons } from "./consent-buttons";

/** Allow / Deny, posted to the server action with the request and its CSRF token. */
export function ConsentForm({ query, token, appName }: { query: string; token: string; appName: string }) {
  return (
    <form action={decideAuthorization} aria-label={`Authorize ${appName}`}>
      <input type="hidden" name="query" value={query} />
      <input type="hidden" name="consent_token" value={token} />
      <ConsentButtons />
      <p className="mt-3 text-center text-xs text-slate-500">You can revoke access at any time under My account.</p>
    </form>
  );
}
