import { requireConsoleAdmin } from "@/app/_server/guard";
import { SsoForm } from "@/components/settings/sso-form";
import { Card, PageTitle } from "@/components/ui/card";
import { getInstanceSettings } from "@/lib/services/settings/get";
import { saveSsoAction } from "./actions";

export default async function SsoPage() {
  const { ctx } = await requireConsoleAdmin();
  const s = await getInstanceSettings(ctx);
  return (
    <>
      <PageTitle subtitle="How users of this instance authenticate.">Single Sign-On (SSO)</PageTitle>
      <Card title="Single sign-on">
        <SsoForm values={{ ssoType: s.ssoType, ssoOnly: s.ssoOnly }} save={saveSsoAction} />
      </Card>
    </>
  );
}
