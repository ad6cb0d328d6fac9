/**
 * Setup > System > Single Sign-On: the SSO type and "Only allow SAML 2.0 authentication". While the
 * latter is on, non-admins cannot use password-based API calls (the check is in checkPassword), and
 * turning it on ends the REST sessions non-admins obtained with a password (all of theirs: REST
 * sessions come only from /login). Their console sessions end in the console guard.
 */
import { z } from "zod";
import { InvalidRequest } from "../../errors";
import type { InstanceSettings } from "../../storage/types";
import { requireAdmin, type ServiceContext } from "../context";
import { parseInput } from "../../domain/validation";
import { saveSettings } from "./get";

export const SsoInput = z.object({
  ssoType: z.enum(["none", "saml2"], "SSO type must be None or SAML 2.0"),
  ssoOnly: z.boolean(),
});
export type SsoInput = z.input<typeof SsoInput>;

export const SSO_ONLY_NEEDS_SAML = "Only allow SAML 2.0 authentication needs the SSO type SAML 2.0.";

export async function updateSso(ctx: ServiceContext, raw: SsoInput): Promise<InstanceSettings> {
  requireAdmin(ctx);
  const input = parseInput(SsoInput, raw);
  if (input.ssoOnly && input.ssoType !== "saml2") throw new InvalidRequest(SSO_ONLY_NEEDS_SAML);
  return saveSettings(ctx, input, "settings.sso", async (tx, before) =>
    input.ssoOnly && !before.ssoOnly ? { endedSessions: await tx.sessions.deleteForNonAdmins() } : {},
  );
}
