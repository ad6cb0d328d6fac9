"use server";
// Server actions of Customer Info > API Key Settings: the expiry settings and removing every key.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/app/_server/guard";
import { removeAllApiKeys } from "@/lib/services/api-keys/manage";
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
