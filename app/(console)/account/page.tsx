import { requireConsoleUser } from "@/app/_server/guard";
import { AuthorizedApps } from "@/components/account/authorized-apps";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { ApiKeyPanel } from "@/components/api-keys/api-key-panel";
import { Card, PageTitle } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { apiKeyStatusFor } from "@/lib/services/api-keys/manage";
import { listAuthorizedApps } from "@/lib/services/oauth/consent";
import { NOT_A_DEVELOPER } from "@/lib/services/service-credentials/access";
import { changePasswordAction, generateOwnApiKeyAction, removeOwnApiKeyAction, revokeAuthorizedAppAction } from "./actions";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AccountPage({ searchParams }: { searchParams: SearchParams }) {
  const { ctx, user } = await requireConsoleUser();
  const [{ denied }, status, authorized] = await Promise.all([searchParams, apiKeyStatusFor(ctx, user.id), listAuthorizedApps(ctx)]);

  return (
    <>
      <PageTitle subtitle={`Signed in as ${user.username}.`}>My account</PageTitle>
      {(denied === "1" || denied === "developer") && (
        <div className="mb-6">
          <Notice result={{ ok: false, error: denied === "developer" ? NOT_A_DEVELOPER : "That page is for System Administrators." }} />
        </div>
      )}
      <Card title="API key" description="Applications use your API key to reach the REST API as you. Keep it secret.">
        <ApiKeyPanel status={status} generate={generateOwnApiKeyAction} remove={removeOwnApiKeyAction} />
      </Card>
      <Card title="Authorized applications" description="OAuth2 applications you have allowed to use the API as you.">
        <AuthorizedApps
          apps={authorized.map(({ clientId, name, developerName, privacyPolicyUrl, authorizedAt, lastUsedAt }) => ({ clientId, name, developerName, privacyPolicyUrl, authorizedAt, lastUsedAt }))}
          revoke={revokeAuthorizedAppAction}
        />
      </Card>
      <Card title="Change password">
        <ChangePasswordForm change={changePasswordAction} />
      </Card>
    </>
  );
}
