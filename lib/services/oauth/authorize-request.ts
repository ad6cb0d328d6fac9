/**
 * Reading an authorization request (`GET /integrations/oauth2/authorize`). The client and redirect
 * URL are checked first: when either is wrong the user sees an error page and is never redirected
 * (RFC 6749 4.1.2.1, RFC 9700 4.1). Every later problem goes back to the client through the
 * redirect, with `state` (only when sent) and `iss` (RFC 9207).
 */
import { isS256Challenge } from "../../domain/pkce";
import { usesRedirects } from "../../domain/oauth-app";
import type { Runtime } from "../../runtime";
import type { StoredOAuthApp } from "../../storage/types";

export interface AuthorizationRequest {
  app: StoredOAuthApp;
  redirectUri: string;
  state: string | null;
  codeChallenge: string | null;
  scope: string;
}

export type AuthorizeOutcome =
  | { kind: "error_page"; message: string }
  | { kind: "redirect"; url: string }
  | { kind: "ok"; request: AuthorizationRequest };

export type QueryLike = { getAll(name: string): string[] };

const MAX_STATE = 2000;
const MAX_SCOPE = 1000;

/** The redirect URL with the response parameters added, keeping any query it already has (RFC 6749 3.1.2). */
export function redirectWith(redirectUri: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

export async function readAuthorizationRequest(rt: Runtime, query: QueryLike): Promise<AuthorizeOutcome> {
  const one = (name: string) => {
    const all = query.getAll(name);
    return { value: all[0] ?? null, repeated: all.length > 1 };
  };
  const clientId = one("client_id");
  if (clientId.repeated) return { kind: "error_page", message: "The request names client_id more than once." };
  if (!clientId.value) return { kind: "error_page", message: "The request does not say which application is asking (client_id is missing)." };
  const app = clientId.value.length <= 128 ? await rt.store.oauthApps.byClientId(clientId.value) : null;
  if (!app) return { kind: "error_page", message: "There is no application with this client ID. Ask its developer to check the sign-in link." };
  if (!usesRedirects(app.type)) {
    return { kind: "error_page", message: `${app.name} is a machine-to-machine application: it signs in with a JWT, not through this page.` };
  }
  const redirect = one("redirect_uri");
  if (redirect.repeated) return { kind: "error_page", message: "The request names redirect_uri more than once." };
  if (!redirect.value) return { kind: "error_page", message: "The request does not say where to return to (redirect_uri is missing)." };
  // Exact string comparison: no normalisation, no prefix or pattern matching (RFC 9700 2.1).
  if (!app.redirectUris.includes(redirect.value)) {
    return { kind: "error_page", message: `The return address is not registered for ${app.name}. Nothing was sent to it.` };
  }
  const redirectUri = redirect.value;
  const stateParam = one("state");
  // A state too long to send back is not echoed at all (a cut one would only mislead the client).
  const state = stateParam.value !== null && stateParam.value !== "" && stateParam.value.length <= MAX_STATE ? stateParam.value : null;
  const fail = (error: string, description: string): AuthorizeOutcome => ({
    kind: "redirect",
    url: redirectWith(redirectUri, { error, error_description: description, state, iss: rt.settings.publicUrl }),
  });

  for (const name of ["response_type", "state", "code_challenge", "code_challenge_method", "scope"]) {
    if (one(name).repeated) return fail("invalid_request", `The ${name} parameter was sent more than once.`);
  }
  const responseType = one("response_type").value;
  if (!responseType) return fail("invalid_request", "response_type is required (use code).");
  if (responseType !== "code") return fail("unsupported_response_type", "Only the authorization code flow is supported (response_type=code).");
  if (stateParam.value && stateParam.value.length > MAX_STATE) return fail("invalid_request", `state can be at most ${MAX_STATE} characters.`);

  const challenge = one("code_challenge").value;
  const method = one("code_challenge_method").value;
  if (method !== null && method !== "S256") return fail("invalid_request", "code_challenge_method must be S256 (plain is not accepted).");
  if (challenge === null || challenge === "") {
    if (app.type === "single_page") return fail("invalid_request", "A single-page application must send a PKCE code_challenge with code_challenge_method=S256.");
    if (method !== null) return fail("invalid_request", "code_challenge_method was sent without a code_challenge.");
  } else {
    // Without a method RFC 7636 means plain, which is refused rather than silently upgraded.
    if (method === null) return fail("invalid_request", "Send code_challenge_method=S256 with the code_challenge (plain is not accepted).");
    if (!isS256Challenge(challenge)) return fail("invalid_request", "code_challenge must be the base64url SHA-256 of the code verifier (43 characters).");
  }
  const scope = one("scope").value ?? "";
  if (scope.length > MAX_SCOPE) return fail("invalid_scope", `scope can be at most ${MAX_SCOPE} characters.`);
  return { kind: "ok", request: { app, redirectUri, state, codeChallenge: challenge || null, scope } };
}
