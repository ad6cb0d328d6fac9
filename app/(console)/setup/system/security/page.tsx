import { requireConsoleAdmin } from "@/app/_server/guard";
import { PasswordPolicyForm } from "@/components/settings/password-policy-form";
import { Card, PageTitle } from "@/components/ui/card";
import { getInstanceSettings } from "@/lib/services/settings/get";
import { savePasswordPolicyAction } from "./actions";

export default async function SecurityPage() {
  const { ctx } = await requireConsoleAdmin();
  const s = await getInstanceSettings(ctx);
  return (
    <>
      <PageTitle subtitle="Password age and protection against guessed passwords, for every user.">Security</PageTitle>
      <Card title="Password policy">
        <PasswordPolicyForm
          values={{ passwordResetDays: s.passwordResetDays, lockoutEnabled: s.lockoutEnabled, lockoutMinutes: s.lockoutMinutes, lockoutThreshold: s.lockoutThreshold }}
          save={savePasswordPolicyAction}
        />
      </Card>
    </>
  );
}
