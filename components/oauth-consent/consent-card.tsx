// The authorization endpoint's two screens, styled like the sign-in page: the consent card (who is
// asking, what it may do, Allow / Deny) and the error card for a request that cannot be answered.
import { ConsentForm } from "./consent-form";
import { SwitchAccountButton } from "./switch-account-button";

export interface ConsentApp {
  name: string;
  description: string;
  logo: string | null;
  developerName: string;
  developerEmail: string;
  privacyPolicyUrl: string;
}

/** The frame both screens share: the console's centred card under the product name. */
function AuthorizeShell({ children, tone = "default", ...rest }: { children: React.ReactNode; tone?: "default" | "error" } & React.HTMLAttributes<HTMLDivElement>) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md">
        <p className="mb-3 text-center text-sm font-semibold text-slate-500">Keyward</p>
        <div {...rest} className={`rounded-xl border bg-white p-8 shadow-sm ${tone === "error" ? "border-red-200" : "border-slate-200"}`}>
          {children}
        </div>
      </div>
    </main>
  );
}

function AppLogo({ app }: { app: ConsentApp }) {
  if (app.logo) {
    // eslint-disable-next-line @next/next/no-img-element -- a stored data: URL, not a remote image
    return <img src={app.logo} alt={`${app.name} logo`} className="h-14 w-14 shrink-0 rounded-lg border border-slate-200 object-contain" />;
  }
  return (
    <div aria-hidden className="flex h-14 w-14 shrink-0 items-center justify-center rounded-lg bg-slate-100 text-xl font-semibold text-slate-500">
      {app.name.slice(0, 1).toUpperCase()}
    </div>
  );
}

export function ConsentCard({
  app,
  username,
  scope,
  returnOrigin,
  authorizeUrl,
  query,
  token,
}: {
  app: ConsentApp;
  username: string;
  scope: string;
  /** The origin of the redirect URL the answer goes to. */
  returnOrigin: string;
  /** This page's own path and query, to come back to after switching account. */
  authorizeUrl: string;
  /** The form's hidden request and CSRF token, posted unchanged. */
  query: string;
  token: string;
}) {
  return (
    <AuthorizeShell data-testid="consent-page" aria-labelledby="consent-title">
      <div className="flex items-start gap-4">
        <AppLogo app={app} />
        <div className="min-w-0">
          <h1 id="consent-title" className="text-xl font-semibold break-words">
            Allow {app.name} to use your account?
          </h1>
          {(app.developerName || app.developerEmail) && (
            <p className="mt-1 text-sm text-slate-500" data-testid="consent-developer">
              Developed by {app.developerName || "an unnamed developer"}
              {app.developerEmail && (
                <>
                  {" · "}
                  <a className="text-blue-700 underline" href={`mailto:${app.developerEmail}`}>
                    {app.developerEmail}
                  </a>
                </>
              )}
            </p>
          )}
        </div>
      </div>

      {app.description && (
        <p className="mt-4 text-sm text-slate-700" data-testid="consent-description">
          {app.description}
        </p>
      )}

      <div className="mt-5 flex items-center justify-between gap-3 rounded-md bg-slate-50 px-3 py-2 text-sm">
        <span>
          Signed in as <strong data-testid="consent-username">{username}</strong>
        </span>
        <SwitchAccountButton authorizeUrl={authorizeUrl} />
      </div>

      <section aria-labelledby="consent-permissions" className="mt-5">
        <h2 id="consent-permissions" className="text-sm font-semibold">
          If you allow it, {app.name} can:
        </h2>
        <ul aria-labelledby="consent-permissions" className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>See and change what your account can see and change through the API (projects, and the users you can see).</li>
          <li>Keep this access without asking you again, until you revoke it under My account.</li>
          {scope && (
            <li>
              Use the scope it asked for: <code className="rounded bg-slate-100 px-1 font-mono text-xs break-all">{scope}</code>
            </li>
          )}
        </ul>
        <p className="mt-2 text-xs text-slate-500">It never sees your password.</p>
      </section>

      <div className="mt-5 space-y-1 text-xs text-slate-500">
        <p>
          Either way, you will be sent back to <span className="font-mono break-all text-slate-700">{returnOrigin}</span>.
        </p>
        <p>
          {app.privacyPolicyUrl ? (
            <>
              Read how {app.name} uses your data in its{" "}
              <a className="text-blue-700 underline" href={app.privacyPolicyUrl} target="_blank" rel="noreferrer noopener">
                privacy policy<span className="sr-only"> (opens in a new tab)</span>
              </a>
              .
            </>
          ) : (
            <>{app.name} has not published a privacy policy.</>
          )}
        </p>
      </div>

      <div className="mt-6">
        <ConsentForm query={query} token={token} appName={app.name} />
      </div>
    </AuthorizeShell>
  );
}

/** A request that cannot be answered by redirecting (unknown client, unregistered return address). */
export function AuthorizeErrorCard({ message }: { message: string }) {
  return (
    <AuthorizeShell tone="error" role="alert" aria-labelledby="authorize-error-title" data-testid="authorize-error">
      <h1 id="authorize-error-title" className="text-xl font-semibold">
        This authorization link cannot be used
      </h1>
      <p className="mt-3 text-sm text-slate-700" data-testid="authorize-error-message">
        {message}
      </p>
      <p className="mt-4 text-sm text-slate-500">
        You have not been sent back to the application. Return to it and try again, or tell its developer about this message.
      </p>
    </AuthorizeShell>
  );
}
