import { redirect } from "next/navigation";
import { requireConsoleUser } from "@/app/_server/guard";
import { CreateCredential } from "@/components/developer-console/create-credential";
import { CredentialsTable } from "@/components/developer-console/credentials-table";
import { LocalToken } from "@/components/developer-console/local-token";
import { SigningKeys } from "@/components/developer-console/signing-keys";
import { Card, PageTitle } from "@/components/ui/card";
import { DEFAULT_METASCOPES, MAX_SERVICE_CREDENTIALS, METASCOPES } from "@/lib/domain/service-credential";
import { listLocalDevelopmentTokens } from "@/lib/services/ims/local-token";
import { listSigningKeys } from "@/lib/services/ims/signing-keys";
import { canUseDeveloperConsole } from "@/lib/services/service-credentials/access";
import { listServiceCredentials } from "@/lib/services/service-credentials/view";
import {
  createCredentialAction,
  issueLocalTokenAction,
  migrateCredentialAction,
  refreshCredentialAction,
  removeCredentialKeyAction,
  revokeCredentialAction,
  revokeJwtSideAction,
  revokeLocalTokensAction,
  rotateSigningKeyAction,
} from "./actions";

export const metadata = { title: "Integrations" };

const CREDENTIAL_ACTIONS = {
  refresh: refreshCredentialAction,
  migrate: migrateCredentialAction,
  revokeJwt: revokeJwtSideAction,
  revoke: revokeCredentialAction,
  removeKey: removeCredentialKeyAction,
};
const LOCAL_TOKEN_ACTIONS = { issue: issueLocalTokenAction, revoke: revokeLocalTokensAction };
const METASCOPE_LIST = [...METASCOPES].map(([name, description]) => ({ name, description }));

/**
 * Developer Console > Integrations. Administrators manage service credentials and the token signing
 * keys; developers (non-admins an administrator marked so) get only local development tokens;
 * everyone else is sent away, as from the other admin pages.
 */
export default async function DeveloperConsolePage() {
  const { ctx, isAdmin } = await requireConsoleUser();
  if (!(await canUseDeveloperConsole(ctx))) redirect("/account?denied=developer");
  const localTokens = await listLocalDevelopmentTokens(ctx);
  const localCard = (
    <Card
      title="Get Local Development Token"
      description="A 24-hour access token that acts as you on the REST API, for trying calls from your own machine. It is not tied to a service credential."
    >
      <LocalToken tokens={localTokens} actions={LOCAL_TOKEN_ACTIONS} />
    </Card>
  );
  if (!isAdmin) {
    return (
      <>
        <PageTitle subtitle="Developer Console">Integrations</PageTitle>
        {localCard}
      </>
    );
  }

  const [credentials, signingKeys] = await Promise.all([listServiceCredentials(ctx), listSigningKeys(ctx)]);
  const base = ctx.rt.settings.publicUrl.replace(/\/$/, "");
  return (
    <>
      <PageTitle subtitle="Developer Console">Integrations</PageTitle>
      <Card
        title="Get Service Credentials"
        description="A technical account with a client ID and secret for server-to-server calls. The JSON bundle, with the private key of a JWT credential, is shown once."
      >
        <CreateCredential
          create={createCredentialAction}
          metascopes={METASCOPE_LIST}
          defaultMetascopes={[...DEFAULT_METASCOPES]}
          atLimit={credentials.length >= MAX_SERVICE_CREDENTIALS}
        />
        <dl data-testid="credential-endpoints" className="mt-6 grid grid-cols-1 gap-x-4 gap-y-2 border-t border-slate-100 pt-4 text-sm text-slate-600 md:grid-cols-[13rem_1fr]">
          <dt className="font-medium text-slate-700">JWT exchange</dt>
          <dd>
            <code className="break-all">POST {base}/ims/exchange/jwt</code> with <code>client_id</code>, <code>client_secret</code> and{" "}
            <code>jwt_token</code>: a JWT signed with RS256 and the bundle&apos;s private key, with <code>iss</code> the bundle&apos;s <code>org</code>,{" "}
            <code>sub</code> its <code>id</code>, <code>aud</code> <code className="break-all">{`${base}/c/<clientId>`}</code>, one claim{" "}
            <code className="break-all">{`"${base}/s/<metascope>": true`}</code> per metascope, and <code>exp</code> at most 24 hours ahead.
          </dd>
          <dt className="font-medium text-slate-700">OAuth Server-to-Server</dt>
          <dd>
            <code className="break-all">POST {base}/ims/token/v3</code> with <code>grant_type=client_credentials</code>, <code>client_id</code>,{" "}
            <code>client_secret</code> and <code>scope</code> (metascopes, comma-separated).
          </dd>
          <dt className="font-medium text-slate-700">Using the token</dt>
          <dd>
            Either answer&apos;s <code>access_token</code> works for 24 hours on the REST API as <code>Authorization: Bearer &lt;token&gt;</code>.
          </dd>
        </dl>
      </Card>

      <Card title="Service credentials" description="Every credential on this instance. Revoking one ends every token minted from it at once.">
        <p data-testid="credential-count" className="mb-3 text-sm text-slate-600">
          {credentials.length} of {MAX_SERVICE_CREDENTIALS} credentials
        </p>
        <CredentialsTable credentials={credentials} actions={CREDENTIAL_ACTIONS} />
      </Card>

      {localCard}

      <Card
        title="Token signing keys"
        description="The keys this server signs access tokens with. A retired key stays published until the tokens it signed have expired."
      >
        <SigningKeys keys={signingKeys} rotate={rotateSigningKeyAction} />
      </Card>
    </>
  );
}
