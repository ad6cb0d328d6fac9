import { requireConsoleAdmin } from "@/app/_server/guard";
import { ApiKeyPanel } from "@/components/api-keys/api-key-panel";
import { ApiKeySettingsForm } from "@/components/api-keys/api-key-settings-form";
import { RemoveAllKeys } from "@/components/api-keys/remove-all-keys";
import { Card, PageTitle } from "@/components/ui/card";
import { CertificateSettings } from "@/components/x509/certificate-settings";
import { CertificateExpiryWarning } from "@/components/x509/expiry-warning";
import { certificatesNeedingAttention } from "@/components/x509/types";
import { CERTIFICATE_FILE_EXTENSIONS, MAX_CERTIFICATE_BYTES } from "@/lib/domain/x509";
import { API_KEY_EXPIRY_OPTIONS } from "@/lib/domain/expiry";
import { apiKeyStatusFor } from "@/lib/services/api-keys/manage";
import { getInstanceSettings } from "@/lib/services/settings/get";
import { getCertificateSettings } from "@/lib/services/x509/get";
import { generateOwnApiKeyAction, removeOwnApiKeyAction } from "../../../account/actions";
import {
  removeAllApiKeysAction,
  removeCertificateAction,
  saveApiKeySettingsAction,
  saveCertificateLoginAction,
  uploadCertificateAction,
} from "./actions";

export default async function CustomerInfoPage() {
  const { ctx, user } = await requireConsoleAdmin();
  const [settings, status, certificates] = await Promise.all([
    getInstanceSettings(ctx),
    apiKeyStatusFor(ctx, user.id),
    getCertificateSettings(ctx),
  ]);
  const options = API_KEY_EXPIRY_OPTIONS.map(({ value, label }) => ({ value, label }));

  return (
    <>
      <PageTitle subtitle="Your organisation's identity on this instance and how its API keys behave.">Customer Info</PageTitle>
      <CertificateExpiryWarning certificates={certificatesNeedingAttention(certificates)} />
      <Card title="Customer">
        <dl className="grid grid-cols-[10rem_1fr] text-sm">
          <dt className="text-slate-500">Customer ID</dt>
          <dd><code data-testid="customer-id" className="font-mono">{ctx.rt.customerId}</code></dd>
        </dl>
      </Card>
      <Card
        title="API Key Settings"
        description="Applications use API keys to reach the REST API on a user's behalf. An application using your key has administrator access."
      >
        <h3 className="mb-2 font-medium">Your API key</h3>
        <ApiKeyPanel status={status} generate={generateOwnApiKeyAction} remove={removeOwnApiKeyAction} />
        <h3 className="mt-8 mb-2 border-t border-slate-200 pt-6 font-medium">Expiry</h3>
        <ApiKeySettingsForm
          values={{ apiKeyExpiry: settings.apiKeyExpiry, removeKeyOnPasswordExpiry: settings.removeKeyOnPasswordExpiry }}
          options={options}
          passwordPolicyOn={settings.passwordResetDays !== null}
          save={saveApiKeySettingsAction}
        />
        <h3 className="mt-8 mb-2 border-t border-slate-200 pt-6 font-medium">X.509 certificate</h3>
        <p className="mb-4 text-sm text-slate-600">
          Restrict API logins to applications that hold your client certificate: upload the X.509 certificate your certificate authority issued,
          then enable it.
        </p>
        <CertificateSettings
          settings={certificates}
          limits={{ maxBytes: MAX_CERTIFICATE_BYTES, extensions: [...CERTIFICATE_FILE_EXTENSIONS] }}
          saveLogin={saveCertificateLoginAction}
          upload={uploadCertificateAction}
          remove={removeCertificateAction}
        />
        <h3 className="mt-8 mb-2 border-t border-slate-200 pt-6 font-medium">Remove all API keys</h3>
        <RemoveAllKeys removeAll={removeAllApiKeysAction} />
      </Card>
    </>
  );
}
