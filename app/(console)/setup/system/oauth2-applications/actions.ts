"use server";
// Server actions of Setup > System > OAuth2 Applications: creating, editing and deleting apps, their
// client secrets and their public keys. Each parses the form, calls an oauth-apps service and
// refreshes the list and the app's page.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction, type ActionResult } from "@/app/_server/guard";
import { MAX_LOGO_BYTES, REFRESH_ABSOLUTE_EXPIRIES, REFRESH_INACTIVITY_EXPIRIES, usesRedirects } from "@/lib/domain/oauth-app";
import { MAX_PUBLIC_KEY_BYTES } from "@/lib/domain/public-key";
import { InvalidRequest } from "@/lib/errors";
import { addPublicKey } from "@/lib/services/oauth-apps/add-public-key";
import { addClientSecret } from "@/lib/services/oauth-apps/add-secret";
import { createOAuthApp } from "@/lib/services/oauth-apps/create";
import { generateKeyPair } from "@/lib/services/oauth-apps/generate-key-pair";
import { getOAuthApp } from "@/lib/services/oauth-apps/get";
import type { OAuthAppSettings } from "@/lib/services/oauth-apps/input";
import { deletePublicKey } from "@/lib/services/oauth-apps/remove-public-key";
import { deleteClientSecret } from "@/lib/services/oauth-apps/remove-secret";
import { deleteOAuthApp } from "@/lib/services/oauth-apps/remove";
import { setClientSecretNotes } from "@/lib/services/oauth-apps/secret-notes";
import { updateOAuthApp } from "@/lib/services/oauth-apps/update";
import type { OAuthAppDetails } from "@/lib/services/oauth-apps/view";
import type { RefreshAbsoluteExpiry, RefreshInactivityExpiry } from "@/lib/storage/types";

const PATH = "/setup/system/oauth2-applications";

const absolute = Object.keys(REFRESH_ABSOLUTE_EXPIRIES) as [RefreshAbsoluteExpiry, ...RefreshAbsoluteExpiry[]];
const inactivity = Object.keys(REFRESH_INACTIVITY_EXPIRIES) as [RefreshInactivityExpiry, ...RefreshInactivityExpiry[]];

const ClientId = z.string().min(1).max(128);
const text = z.string().default("");

/**
 * The settings form's text fields. The service validates and explains each value; here they are only
 * read. Fields of apps that sign users in are absent from a machine-to-machine app's form.
 */
const SettingsFields = z.object({
  name: text,
  description: text,
  tokenType: z.enum(["sessionID", "Bearer"]).optional(),
  redirectUris: text,
  refreshRotation: z.literal("on").optional(),
  refreshAbsoluteExpiry: z.enum(absolute).optional(),
  refreshInactivityExpiry: z.enum(inactivity).optional(),
  refreshReuseSeconds: z.string().optional(),
  developerName: text,
  developerEmail: text,
  privacyPolicyUrl: text,
  removeLogo: z.literal("on").optional(),
});
type SettingsInput = z.output<typeof SettingsFields>;

/** The redirect URL textarea: one URL a line, trimmed, blank lines dropped. */
function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

function reuseSeconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const t = value.trim();
  if (!/^\d{1,6}$/.test(t)) throw new InvalidRequest("The reuse interval is a whole number of seconds, from 0 to 60.");
  return Number(t);
}

/**
 * The logo the form sends: a new image (its declared size checked before it is read), null to
 * remove the current one, or undefined to keep it.
 */
async function logoOf(file: FormDataEntryValue | null, remove: boolean): Promise<Uint8Array | null | undefined> {
  if (file instanceof File && file.name !== "" && file.size > 0) {
    if (file.size > MAX_LOGO_BYTES) {
      throw new InvalidRequest(`The logo can be at most ${MAX_LOGO_BYTES / 1024} KiB (this one is ${Math.ceil(file.size / 1024)} KiB).`);
    }
    return new Uint8Array(await file.arrayBuffer());
  }
  return remove ? null : undefined;
}

type Kept = Pick<
  OAuthAppDetails,
  "redirectUris" | "refreshRotation" | "refreshAbsoluteExpiry" | "refreshInactivityExpiry" | "refreshReuseSeconds" | "developerName" | "developerEmail" | "privacyPolicyUrl"
>;

/**
 * The service's settings from the form. For apps that sign users in, every field comes from the form
 * (an unchecked checkbox is absent: rotation off); a machine-to-machine app's form has only the
 * common fields, and the others keep their current values (`kept`) or the service's defaults.
 */
function settingsOf(redirects: boolean, input: SettingsInput, kept?: Kept): OAuthAppSettings {
  const common = { name: input.name, description: input.description, tokenType: input.tokenType };
  if (!redirects) return { ...common, ...(kept ? { ...kept, redirectUris: [...kept.redirectUris] } : {}) };
  return {
    ...common,
    redirectUris: lines(input.redirectUris),
    refreshRotation: input.refreshRotation === "on",
    refreshAbsoluteExpiry: input.refreshAbsoluteExpiry ?? kept?.refreshAbsoluteExpiry,
    refreshInactivityExpiry: input.refreshInactivityExpiry ?? kept?.refreshInactivityExpiry,
    refreshReuseSeconds: reuseSeconds(input.refreshReuseSeconds, kept?.refreshReuseSeconds ?? 0),
    developerName: input.developerName,
    developerEmail: input.developerEmail,
    privacyPolicyUrl: input.privacyPolicyUrl,
  };
}

const tokens = (n: number) => `${n} ${n === 1 ? "token" : "tokens"}`;

function refresh(clientId?: string): void {
  revalidatePath(PATH);
  if (clientId) revalidatePath(`${PATH}/${encodeURIComponent(clientId)}`);
}

/**
 * Create app integration. The logo (web and single-page apps) is taken from the form inside the
 * guarded function, as certificate uploads are, and read only after the session and administrator
 * checks and only within its size limit. Returns the first client secret, to be shown once.
 */
export async function createAppAction(prev: unknown, form: FormData): Promise<ActionResult<{ clientId: string; secret: string | null }>> {
  const logo = form.get("logo");
  return adminAction(SettingsFields.extend({ type: z.enum(["machine_to_machine", "web", "single_page"], { message: "Choose the type of application." }) }), async ({ ctx }, input) => {
    const redirects = usesRedirects(input.type);
    const settings = settingsOf(redirects, input);
    const { app, secret } = await createOAuthApp(ctx, { type: input.type, ...settings, ...(redirects ? { logo: await logoOf(logo, false) } : {}) });
    refresh();
    const next = secret ? " Copy its client secret now: it is shown only once." : "";
    return { ok: true, data: { clientId: app.clientId, secret }, message: `${app.name} was created.${next}` };
  })(prev, form);
}

export async function updateAppAction(prev: unknown, form: FormData): Promise<ActionResult> {
  const logo = form.get("logo");
  return adminAction(SettingsFields.extend({ clientId: ClientId }), async ({ ctx }, input) => {
    const current = await getOAuthApp(ctx, input.clientId);
    const redirects = usesRedirects(current.type);
    const settings = settingsOf(redirects, input, current);
    const app = await updateOAuthApp(ctx, input.clientId, { ...settings, ...(redirects ? { logo: await logoOf(logo, input.removeLogo === "on") } : {}) });
    refresh(input.clientId);
    return { ok: true, message: `Settings of ${app.name} saved.` };
  })(prev, form);
}

/**
 * Delete application. Nothing is revalidated here: any revalidation re-renders the page the action
 * came from in the same response, which would be the deleted app's page (a 404). The browser goes to
 * the list next, which is rendered per request, so it comes fresh from the server anyway.
 */
export const deleteAppAction = adminAction(z.object({ clientId: ClientId }), async ({ ctx }, { clientId }) => {
  const { name } = await getOAuthApp(ctx, clientId);
  const { revokedTokens } = await deleteOAuthApp(ctx, clientId);
  return { ok: true, message: `${name} was deleted; ${tokens(revokedTokens)} it had issued ${revokedTokens === 1 ? "was" : "were"} revoked.` };
});

// Client secrets.

export const addSecretAction = adminAction(z.object({ clientId: ClientId, notes: z.string().optional() }), async ({ ctx }, { clientId, notes }) => {
  const { secret, view } = await addClientSecret(ctx, clientId, notes);
  refresh(clientId);
  return { ok: true, data: { secret }, message: `Client secret ••••${view.hint} was added.` };
});

export const deleteSecretAction = adminAction(z.object({ clientId: ClientId, secretId: z.string().min(1).max(128) }), async ({ ctx }, { clientId, secretId }) => {
  const { revokedTokens } = await deleteClientSecret(ctx, clientId, secretId);
  refresh(clientId);
  return { ok: true, message: `The client secret was deleted; ${tokens(revokedTokens)} minted with it ${revokedTokens === 1 ? "was" : "were"} revoked.` };
});

export const setSecretNotesAction = adminAction(
  z.object({ clientId: ClientId, secretId: z.string().min(1).max(128), notes: z.string().default("") }),
  async ({ ctx }, { clientId, secretId, notes }) => {
    await setClientSecretNotes(ctx, clientId, secretId, notes);
    refresh(clientId);
    return { ok: true, message: "Notes saved." };
  },
);

// Public keys (machine-to-machine apps).

/**
 * Add public key: an uploaded file (certificate_pub.crt or a public key), taken from the form inside
 * the guarded function and read only within its size limit, or a pasted PEM public key.
 */
export async function addPublicKeyAction(prev: unknown, form: FormData): Promise<ActionResult> {
  const file = form.get("publicKeyFile");
  return adminAction(z.object({ clientId: ClientId, publicKeyPem: z.string().default("") }), async ({ ctx }, { clientId, publicKeyPem }) => {
    // A file input left empty still arrives as an empty file (not always nameless): that is no choice.
    const hasFile = file instanceof File && file.size > 0;
    const pasted = publicKeyPem.trim();
    if (hasFile && pasted !== "") throw new InvalidRequest("Choose a file or paste a public key, not both.");
    let upload: { bytes: Uint8Array | string; fileName?: string };
    if (hasFile) {
      if (file.size > MAX_PUBLIC_KEY_BYTES) {
        throw new InvalidRequest(`This file is too large to be a public key or certificate (${file.size} bytes; the limit is ${MAX_PUBLIC_KEY_BYTES / 1024} KiB).`);
      }
      upload = { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name };
    } else if (pasted !== "") {
      upload = { bytes: pasted };
    } else {
      throw new InvalidRequest("Choose a certificate or public key file, or paste a PEM public key.");
    }
    const key = await addPublicKey(ctx, clientId, upload);
    refresh(clientId);
    return { ok: true, message: `Public key added. JWTs signed with its private key must carry sub ${key.createdBy} (${key.createdByName}).` };
  })(prev, form);
}

/** Generate public/private key pair: the private key goes to this one response, for the browser to save; never again. */
export const generateKeyPairAction = adminAction(z.object({ clientId: ClientId }), async ({ ctx }, { clientId }) => {
  const { privateKeyPem, key } = await generateKeyPair(ctx, clientId);
  refresh(clientId);
  return {
    ok: true,
    data: { privateKeyPem, fingerprint256: key.fingerprint256 },
    message: `Key pair generated. JWTs signed with its private key must carry sub ${key.createdBy} (${key.createdByName}).`,
  };
});

export const removePublicKeyAction = adminAction(z.object({ clientId: ClientId, keyId: z.string().min(1).max(128) }), async ({ ctx }, { clientId, keyId }) => {
  const { revokedTokens } = await deletePublicKey(ctx, clientId, keyId);
  refresh(clientId);
  return { ok: true, message: `The public key was removed; ${tokens(revokedTokens)} minted with it ${revokedTokens === 1 ? "was" : "were"} revoked.` };
});
