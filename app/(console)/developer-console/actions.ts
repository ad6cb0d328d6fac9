"use server";
// Server actions of Developer Console > Integrations: service credentials (administrators), local
// development tokens (administrators and developers) and the token signing keys (administrators).
// Each parses the form, calls a service (which checks who may call it again) and refreshes the page.
// Bundles and tokens go back to the calling component only, never into a URL or a redirect.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction, userAction, type ActionResult } from "@/app/_server/guard";
import { issueLocalDevelopmentToken, revokeLocalDevelopmentTokens, type LocalDevelopmentToken } from "@/lib/services/ims/local-token";
import { rotateSigningKey } from "@/lib/services/ims/signing-keys";
import type { ServiceCredentialBundle } from "@/lib/services/service-credentials/bundle";
import { createServiceCredential } from "@/lib/services/service-credentials/create";
import {
  migrateServiceCredential,
  refreshServiceCredential,
  removeCredentialKey,
  revokeJwtSide,
  revokeServiceCredential,
} from "@/lib/services/service-credentials/manage";

const PATH = "/developer-console";

const ClientId = z.string().min(1).max(128);

const tokens = (n: number) => `${n} ${n === 1 ? "token" : "tokens"}`;
const were = (n: number) => (n === 1 ? "was" : "were");

function refresh(): void {
  revalidatePath(PATH);
}

/**
 * Get Service Credentials. The metascope checkboxes share one name, so they are read from the form
 * here (the guard's parser keeps one value per name); the service checks them against the catalogue.
 */
export async function createCredentialAction(prev: unknown, form: FormData): Promise<ActionResult<ServiceCredentialBundle>> {
  const metascopes = form.getAll("metascopes").filter((v): v is string => typeof v === "string");
  return adminAction(
    z.object({
      name: z.string().default(""),
      accessLevel: z.enum(["admin", "user"], { message: "Choose the access level of the technical account." }).default("user"),
      type: z.enum(["jwt", "oauth_server_to_server"], { message: "Choose the type of credential." }).default("jwt"),
    }),
    async ({ ctx }, input) => {
      const bundle = await createServiceCredential(ctx, { ...input, metascopes });
      refresh();
      return { ok: true, data: bundle, message: `Service credential ${input.name.trim()} was created. Download or copy it now: it is shown only once.` };
    },
  )(prev, form);
}

/** Refresh: a new private key and certificate for the same client ID and secret, shown once. */
export const refreshCredentialAction = adminAction(z.object({ clientId: ClientId }), async ({ ctx }, { clientId }) => {
  const bundle = await refreshServiceCredential(ctx, clientId);
  refresh();
  return { ok: true, data: bundle, message: "A new private key and certificate were made. The earlier certificates keep working until they expire or are removed." };
});

export const removeCredentialKeyAction = adminAction(z.object({ clientId: ClientId, keyId: z.string().min(1).max(128) }), async ({ ctx }, { clientId, keyId }) => {
  const removed = await removeCredentialKey(ctx, clientId, keyId);
  refresh();
  return { ok: true, message: `The certificate was removed; ${tokens(removed.tokens)} minted with it ${were(removed.tokens)} revoked.` };
});

export const migrateCredentialAction = adminAction(z.object({ clientId: ClientId }), async ({ ctx }, { clientId }) => {
  await migrateServiceCredential(ctx, clientId);
  refresh();
  return { ok: true, message: "The credential now also accepts OAuth Server-to-Server (POST /ims/token/v3) with the same client ID and secret." };
});

export const revokeJwtSideAction = adminAction(z.object({ clientId: ClientId }), async ({ ctx }, { clientId }) => {
  const revoked = await revokeJwtSide(ctx, clientId);
  refresh();
  return { ok: true, message: `The JWT side was revoked; ${tokens(revoked.tokens)} from JWT exchanges ${were(revoked.tokens)} revoked. OAuth Server-to-Server keeps working.` };
});

export const revokeCredentialAction = adminAction(z.object({ clientId: ClientId }), async ({ ctx }, { clientId }) => {
  const revoked = await revokeServiceCredential(ctx, clientId);
  refresh();
  return { ok: true, message: `The credential was revoked; ${tokens(revoked.tokens)} minted from it ${were(revoked.tokens)} revoked.` };
});

// Local development tokens: administrators and developers, for themselves (the service checks).

export const issueLocalTokenAction = userAction(z.object({}), async ({ ctx }): Promise<ActionResult<LocalDevelopmentToken>> => {
  const token = await issueLocalDevelopmentToken(ctx);
  refresh();
  return { ok: true, data: token, message: "Copy this token now: it is shown only once." };
});

export const revokeLocalTokensAction = userAction(z.object({}), async ({ ctx }) => {
  const revoked = await revokeLocalDevelopmentTokens(ctx);
  refresh();
  return { ok: true, message: `${revoked === 0 ? "You had no live local development tokens." : `${tokens(revoked)} ${were(revoked)} revoked.`}` };
});

// Token signing keys (administrators).

export const rotateSigningKeyAction = adminAction(z.object({}), async ({ ctx }) => {
  const { kid, retired } = await rotateSigningKey(ctx);
  refresh();
  return { ok: true, message: `Key ${kid} now signs new tokens; ${retired} retired ${retired === 1 ? "key stays" : "keys stay"} published until the tokens it signed expire.` };
});
