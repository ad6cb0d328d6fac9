"use server";
// The consent page's Allow / Deny. The request is read again from the posted query (nothing in it is
// trusted but what readAuthorizationRequest accepts), the user is re-read, and the CSRF token must
// bind both; then the browser is sent back to the client's redirect URL.
import { redirect } from "next/navigation";
import { currentConsoleUser } from "@/app/_server/guard";
import { getRuntime } from "@/lib/runtime";
import { readAuthorizationRequest } from "@/lib/services/oauth/authorize-request";
import { approveAuthorization, denyAuthorization } from "@/lib/services/oauth/consent";
import { consentTokenValid } from "@/lib/services/oauth/consent-token";
import { AUTHORIZE_PATH } from "@/lib/services/oauth/metadata";

const field = (form: FormData, name: string): string => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function decideAuthorization(form: FormData): Promise<void> {
  const query = field(form, "query");
  const token = field(form, "consent_token");
  const decision = field(form, "decision");
  const rt = await getRuntime();
  const outcome = await readAuthorizationRequest(rt, new URLSearchParams(query));
  if (outcome.kind !== "ok") redirect(`${AUTHORIZE_PATH}?${query}`);
  const signedIn = await currentConsoleUser();
  if (!signedIn) redirect(`/signin?callbackUrl=${encodeURIComponent(`${AUTHORIZE_PATH}?${query}`)}`);
  // A forged or stale form (another site's page, another user's or request's token): back to the
  // page, which asks again with a fresh token. Nothing was issued.
  if (!consentTokenValid(rt.keys, signedIn.user.id, outcome.request, token, rt.clock.now())) redirect(`${AUTHORIZE_PATH}?${query}&prompt=consent`);
  redirect(decision === "allow" ? await approveAuthorization(signedIn.ctx, outcome.request) : denyAuthorization(rt, outcome.request));
}
