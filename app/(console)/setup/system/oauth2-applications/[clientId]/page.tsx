import Link from "next/link";
import { notFound } from "next/navigation";
import { requireConsoleAdmin } from "@/app/_server/guard";
import { formatDateTime } from "@/components/api-keys/format";
import { ClientSecrets } from "@/components/oauth-apps/client-secrets";
import { CopyButton } from "@/components/oauth-apps/copy-button";
import { DeleteApp } from "@/components/oauth-apps/delete-app";
import { HandedNotice } from "@/components/oauth-apps/handed-notice";
import { OAUTH_APPS_PATH, tokens, whenUsed } from "@/components/oauth-apps/labels";
import { PublicKeys } from "@/components/oauth-apps/public-keys";
import { AppSettingsForm } from "@/components/oauth-apps/settings-form";
import { Card, PageTitle } from "@/components/ui/card";
import { hasPublicKeys, hasSecrets, MAX_KEYS_PER_APP, MAX_SECRETS_PER_APP, usesRedirects } from "@/lib/domain/oauth-app";
import { MAX_PUBLIC_KEY_BYTES } from "@/lib/domain/public-key";
import { NotFound } from "@/lib/errors";
import { getOAuthApp } from "@/lib/services/oauth-apps/get";
import type { OAuthAppDetails } from "@/lib/services/oauth-apps/view";
import {
  addPublicKeyAction,
  addSecretAction,
  deleteAppAction,
  deleteSecretAction,
  generateKeyPairAction,
  removePublicKeyAction,
  setSecretNotesAction,
  updateAppAction,
} from "../actions";

export const metadata = { title: "OAuth2 Application" };

const SECRET_ACTIONS = { add: addSecretAction, remove: deleteSecretAction, setNotes: setSecretNotesAction };
const KEY_ACTIONS = { add: addPublicKeyAction, generate: generateKeyPairAction, remove: removePublicKeyAction };
const EXCHANGE_PATH = "/integrations/oauth2/api/v1/jwt/exchange";

type Params = Promise<{ clientId: string }>;

export default async function OAuthAppPage({ params }: { params: Params }) {
  const { ctx } = await requireConsoleAdmin();
  const { clientId } = await params;
  let app: OAuthAppDetails;
  try {
    app = await getOAuthApp(ctx, clientId);
  } catch (e) {
    if (e instanceof NotFound) notFound();
    throw e;
  }
  const m2m = hasPublicKeys(app.type);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={OAUTH_APPS_PATH} className="text-blue-700 hover:underline">
          ← OAuth2 Applications
        </Link>
      </p>
      <PageTitle subtitle={app.typeLabel}>{app.name}</PageTitle>
      <HandedNotice to={app.clientId} />

      <Card title="Application" description={app.description || undefined}>
        <dl data-testid="app-details" className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm md:grid-cols-[13rem_1fr]">
          <dt className="text-slate-500">Type</dt>
          <dd data-testid="app-type">{app.typeLabel}</dd>
          <dt className="text-slate-500">Client ID</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <code data-testid="client-id" className="font-mono break-all">
              {app.clientId}
            </code>
            <CopyButton value={app.clientId} label="Copy client ID" />
          </dd>
          {m2m && (
            <>
              <dt className="text-slate-500">
                Customer ID <span className="text-xs">(the JWT&apos;s <code>iss</code>)</span>
              </dt>
              <dd className="flex flex-wrap items-center gap-2">
                <code data-testid="customer-id" className="font-mono break-all">
                  {app.customerId}
                </code>
                <CopyButton value={app.customerId} label="Copy customer ID" />
              </dd>
            </>
          )}
          <dt className="text-slate-500">Live tokens</dt>
          <dd data-testid="live-tokens">
            {tokens(app.liveTokens.access, "access token")}
            {usesRedirects(app.type) && `, ${tokens(app.liveTokens.refresh, "refresh token")}`}
          </dd>
          <dt className="text-slate-500">Created</dt>
          <dd>{formatDateTime(app.createdAt)}</dd>
          <dt className="text-slate-500">Last used</dt>
          <dd>{whenUsed(app.lastUsedAt)}</dd>
        </dl>
        {m2m && (
          <p className="mt-4 text-sm text-slate-600">
            JWT flow: sign a JWT with RS256 using the private key of one of the public keys below, with <code>iss</code> the Customer ID,{" "}
            <code>sub</code> the user ID shown with the key, <code>exp</code> at most 24 hours ahead and a unique <code>jti</code>. POST it as{" "}
            <code>jwt_token</code> with <code>client_id</code> and <code>client_secret</code> to <code className="break-all">{EXCHANGE_PATH}</code> for
            a one-hour access token.
          </p>
        )}
      </Card>

      {hasSecrets(app.type) && (
        <Card title="Client secrets" description="The application authenticates with any of these. Each is shown once, when it is added.">
          <ClientSecrets clientId={app.clientId} secrets={app.secrets} max={MAX_SECRETS_PER_APP} actions={SECRET_ACTIONS} />
        </Card>
      )}

      {m2m && (
        <Card title="Public keys" description="JWTs signed with the private key of any of these are accepted. The administrator who adds a key is the sub its JWTs carry.">
          <PublicKeys
            clientId={app.clientId}
            keys={app.keys}
            limits={{ maxBytes: MAX_PUBLIC_KEY_BYTES, maxKeys: MAX_KEYS_PER_APP, now: ctx.rt.clock.now() }}
            actions={KEY_ACTIONS}
          />
        </Card>
      )}

      <Card title="Settings">
        <AppSettingsForm
          clientId={app.clientId}
          type={app.type}
          values={{
            name: app.name,
            description: app.description,
            tokenType: app.tokenType,
            redirectUris: app.redirectUris,
            refreshRotation: app.refreshRotation,
            refreshAbsoluteExpiry: app.refreshAbsoluteExpiry,
            refreshInactivityExpiry: app.refreshInactivityExpiry,
            refreshReuseSeconds: app.refreshReuseSeconds,
            developerName: app.developerName,
            developerEmail: app.developerEmail,
            privacyPolicyUrl: app.privacyPolicyUrl,
            logo: app.logo,
          }}
          save={updateAppAction}
        />
      </Card>

      <Card title="Delete application">
        <DeleteApp clientId={app.clientId} name={app.name} liveTokens={app.liveTokens.access + app.liveTokens.refresh} remove={deleteAppAction} />
      </Card>
    </>
  );
}
