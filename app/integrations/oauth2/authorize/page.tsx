// GET /integrations/oauth2/authorize - the authorization endpoint: checks the client and redirect URL
// (an error page, never a redirect, when either is wrong), sends a signed-out user to sign in, and
// shows the consent page (or, when the user has already allowed this app, issues the code at once).
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentConsoleUser } from "@/app/_server/guard";
import { ConsentForm } from "@/components/oauth-consent/consent-form";
import { getRuntime } from "@/lib/runtime";
import { readAuthorizationRequest } from "@/lib/services/oauth/authorize-request";
import { approveAuthorization, hasConsent } from "@/lib/services/oauth/consent";
import { consentToken } from "@/lib/services/oauth/consent-token";
import { AUTHORIZE_PATH } from "@/lib/services/oauth/metadata";

export const metadata: Metadata = { title: "Authorize application" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

function toQuery(search: Search): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(search)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) q.append(k, one);
  return q;
}

export default async function AuthorizePage({ searchParams }: { searchParams: Promise<Search> }) {
  const query = toQuery(await searchParams);
  const rt = await getRuntime();
  const outcome = await readAuthorizationRequest(rt, query);
  if (outcome.kind === "error_page") return <AuthorizeError message={outcome.message} />;
  if (outcome.kind === "redirect") redirect(outcome.url);
  const { request } = outcome;
  const signedIn = await currentConsoleUser();
  if (!signedIn) redirect(`/signin?callbackUrl=${encodeURIComponent(`${AUTHORIZE_PATH}?${query.toString()}`)}`);
  // Consent is remembered per user and app; prompt=consent asks again.
  if (query.get("prompt") !== "consent" && (await hasConsent(rt, signedIn.user.id, request.app.clientId))) {
    redirect(await approveAuthorization(signedIn.ctx, request));
  }
  const { app } = request;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm" data-testid="consent-page">
        <div className="mb-4 flex items-center gap-3">
          {app.logo ? (
            // eslint-disable-next-line @next/next/no-img-element -- a stored data: URL, not a remote image
            <img src={app.logo} alt={`${app.name} logo`} className="h-12 w-12 rounded-md border border-slate-200 object-contain" />
          ) : (
            <div aria-hidden className="flex h-12 w-12 items-center justify-center rounded-md bg-slate-100 text-lg font-semibold text-slate-500">
              {app.name.slice(0, 1).toUpperCase()}
            </div>
          )}
          <div>
            <h1 className="text-xl font-semibold">{app.name}</h1>
            {app.developerName && (
              <p className="text-sm text-slate-500">
                by {app.developerName}
                {app.developerEmail && <> · {app.developerEmail}</>}
              </p>
            )}
          </div>
        </div>
        {app.description && <p className="mb-4 text-sm text-slate-700">{app.description}</p>}
        <p className="mb-2 text-sm">
          <strong>{app.name}</strong> wants to use the API on your behalf, signed in as <strong>{signedIn.user.username}</strong>. If you allow it, it can:
        </p>
        <ul className="mb-4 list-disc pl-5 text-sm text-slate-700">
          <li>read and change what your account can read and change (projects, users you can see)</li>
          <li>keep doing so without asking again, until you revoke it under My account</li>
          {request.scope && <li>with the requested scope: {request.scope}</li>}
        </ul>
        <p className="mb-4 text-xs text-slate-500">
          You will be returned to <span className="break-all font-mono">{new URL(request.redirectUri).origin}</span>.
          {app.privacyPolicyUrl && (
            <>
              {" "}
              <a className="text-blue-700 underline" href={app.privacyPolicyUrl} target="_blank" rel="noreferrer noopener">
                Privacy policy
              </a>
            </>
          )}
        </p>
        <ConsentForm query={query.toString()} token={consentToken(rt.keys, signedIn.user.id, request, rt.clock.now())} appName={app.name} />
      </div>
    </main>
  );
}

function AuthorizeError({ message }: { message: string }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div role="alert" className="w-full max-w-md rounded-xl border border-red-200 bg-white p-8 shadow-sm" data-testid="authorize-error">
        <h1 className="mb-2 text-xl font-semibold">This sign-in link cannot be used</h1>
        <p className="text-sm text-slate-700">{message}</p>
      </div>
    </main>
  );
}
