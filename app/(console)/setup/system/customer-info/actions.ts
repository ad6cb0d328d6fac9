"use server";
// Server actions of Customer Info > API Key Settings: the expiry settings, removing every key and the
// X.509 certificate that API logins may be required to present.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction, type ActionResult } from "@/app/_server/guard";
import { MAX_CERTIFICATE_BYTES } from "@/lib/domain/x509";
import { InvalidRequest } from "@/lib/errors";
import { removeAllApiKeys } from "@/lib/services/api-keys/manage";
import { removeCertificate } from "@/lib/services/x509/remove";
import { setCertificateLogin } from "@/lib/services/x509/set-login";
import { uploadCertificate } from "@/lib/services/x509/upload";
import { ApiKeySettingsInput, updateApiKeySettings } from "@/lib/services/settings/update-api-key-settings";

const PATH = "/setup/system/customer-info";

const keys = (n: number) => `${n} API ${n === 1 ? "key" : "keys"}`;

export const saveApiKeySettingsAction = adminAction(
  z.object({ apiKeyExpiry: ApiKeySettingsInput.shape.apiKeyExpiry, removeKeyOnPasswordExpiry: z.literal("on").optional() }),
  async ({ ctx }, input) => {
    const { removedKeys } = await updateApiKeySettings(ctx, {
      apiKeyExpiry: input.apiKeyExpiry,
      removeKeyOnPasswordExpiry: input.removeKeyOnPasswordExpiry === "on",
    });
    revalidatePath(PATH);
    const extra = removedKeys ? ` Removed ${keys(removedKeys)} of users whose password has expired.` : "";
    return { ok: true, message: `Settings saved.${extra}` };
  },
);

export const removeAllApiKeysAction = adminAction(z.object({}), async ({ ctx }) => {
  const n = await removeAllApiKeys(ctx);
  revalidatePath(PATH);
  revalidatePath("/account");
  return { ok: true, data: { removed: n }, message: `Removed ${keys(n)}.` };
});

// X.509-restricted API login: the switch and the certificate slots.

const Slot = z.object({ slot: z.enum(["current", "next"]) });

export const saveCertificateLoginAction = adminAction(z.object({ enabled: z.literal("on").optional() }), async ({ ctx }, input) => {
  const enabled = input.enabled === "on";
  await setCertificateLogin(ctx, enabled);
  refreshCertificatePages();
  return { ok: true, message: enabled ? "Settings saved. API logins now require the X.509 certificate." : "Settings saved. API logins no longer require a certificate." };
});

/**
 * The upload goes through the same guard as every other action (the session and administrator checks
 * run first); the wrapper hands the function only the text fields, so the File is taken from the form
 * here and read only after those checks, and only when its declared size is within the limit.
 */
export async function uploadCertificateAction(prev: unknown, form: FormData): Promise<ActionResult> {
  const file = form.get("certificate");
  return adminAction(Slot, async ({ ctx }, { slot }) => {
    if (!(file instanceof File) || file.name === "") throw new InvalidRequest("Choose a certificate file to upload.");
    if (file.size > MAX_CERTIFICATE_BYTES) {
      throw new InvalidRequest(`This file is too large to be a certificate (${file.size} bytes; the limit is ${MAX_CERTIFICATE_BYTES / 1024} KiB).`);
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const cert = await uploadCertificate(ctx, { slot, fileName: file.name, bytes });
    refreshCertificatePages();
    return { ok: true, message: `${cert.fileName} was uploaded as the ${slot} certificate.` };
  })(prev, form);
}

export const removeCertificateAction = adminAction(Slot, async ({ ctx }, { slot }) => {
  await removeCertificate(ctx, slot);
  refreshCertificatePages();
  return { ok: true, message: `The ${slot} certificate was removed.` };
});

function refreshCertificatePages(): void {
  revalidatePath(PATH);
  revalidatePath("/");
}
