// GET /integrations/oauth2/authorize - the authorization endpoint: checks the client and redirect URL
// (an error page, never a redirect, when either is wrong), sends a signed-out user to sign in, and
// shows the consent page (or, when the user has already allowed this app, issues the code at once).
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentConsoleUser } from "@/app/_server/guard";
import { AuthorizeErrorCard, ConsentCard } from "@/components/oauth-consent/consent-card";
import { getRuntime } from "@/lib/runtime";
import { readAuthorizationRequest } from "@/lib/services/oauth/authorize-request";
import { approveAuthorization, consentCovers } from "@/lib/services/oauth/consent";
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
  if (outcome.kind === "error_page") return <AuthorizeErrorCard message={outcome.message} />;
  if (outcome.kind === "redirect") redirect(outcome.url);
  const { request } = outcome;
  const signedIn = await currentConsoleUser();
  if (!signedIn) redirect(`/signin?callbackUrl=${encodeURIComponent(`${AUTHORIZE_PATH}?${query.toString()}`)}`);
  // Consent is remembered per user and app (a scope not allowed before asks again); prompt=consent asks again.
  if (query.get("prompt") !== "consent" && (await consentCovers(rt, signedIn.user.id, request.app.clientId, request.scope))) {
    redirect(await approveAuthorization(signedIn.ctx, request));
  }
  const { app } = request;
  return (
    <ConsentCard
      app={app}
      username={signedIn.user.username}
      scope={request.scope}
      returnOrigin={new URL(request.redirectUri).origin}
      authorizeUrl={`${AUTHORIZE_PATH}?${query.toString()}`}
      query={query.toString()}
      token={consentToken(rt.keys, signedIn.user.id, request, rt.clock.now())}
    />
  );
}
