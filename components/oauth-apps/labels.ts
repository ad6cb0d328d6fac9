/** Texts and small formatters the OAuth2 application components share. */
import { formatDateTime } from "@/components/api-keys/format";
import type { OAuthAppType, PublicKeySource } from "@/lib/storage/types";

export const OAUTH_APPS_PATH = "/setup/system/oauth2-applications";
export const appPath = (clientId: string) => `${OAUTH_APPS_PATH}/${encodeURIComponent(clientId)}`;

/** One sentence per type, under its label in the create dialog. */
export const APP_TYPE_SENTENCES: Record<OAuthAppType, string> = {
  machine_to_machine:
    "For server-to-server integrations with no user present: your server signs a JWT with its private key and exchanges it, with the client secret, for an access token.",
  web: "For server-side web apps whose users sign in and approve access (authorization code flow); the app's server keeps a client secret.",
  single_page: "For apps that run in the browser and cannot keep a secret: users sign in through the authorization code flow with PKCE.",
};

export const KEY_SOURCE_LABELS: Record<PublicKeySource, string> = {
  certificate: "Certificate",
  public_key: "Public key",
  generated: "Generated key pair",
};

export const TOKEN_TYPE_HINT =
  "The token_type value token responses carry. Either way the token works in an Authorization: Bearer header and in the sessionID header.";

export const whenUsed = (at: number | null): string => (at === null ? "Never" : formatDateTime(at));

export const tokens = (n: number, kind = "token") => `${n} ${kind}${n === 1 ? "" : "s"}`;
