"use server";
// Server actions of My account (also used by Customer Info for the administrator's own key): the
// signed-in user's API key and password. A new key travels only in the action's result, once.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/app/_server/guard";
import { changeOwnPassword } from "@/lib/services/account/change-password";
import { generateApiKey, removeApiKey } from "@/lib/services/api-keys/manage";
import { revokeAuthorization } from "@/lib/services/oauth/consent";

function refreshKeyPages(): void {
  revalidatePath("/account");
  revalidatePath("/setup/system/customer-info");
}

export const generateOwnApiKeyAction = userAction(z.object({}), async ({ ctx, user }) => {
  const key = await generateApiKey(ctx, user.id);
  refreshKeyPages();
  return { ok: true, data: { key }, message: "A new API key was generated." };
});

export const removeOwnApiKeyAction = userAction(z.object({}), async ({ ctx, user }) => {
  const removed = await removeApiKey(ctx, user.id);
  refreshKeyPages();
  return { ok: true, message: removed ? "The API key was removed." : "There was no API key to remove." };
});

export const changePasswordAction = userAction(
  z
    .object({ currentPassword: z.string(), newPassword: z.string(), confirmPassword: z.string() })
    .refine((v) => v.newPassword === v.confirmPassword, { message: "The new passwords do not match.", path: ["confirmPassword"] }),
  async ({ ctx, user }, { currentPassword, newPassword }) => {
    await changeOwnPassword(ctx, { currentPassword, newPassword });
    // Every console session signed in with the old password ends, this one too: no page refresh
    // here (it would find the session over); the form signs in again with the new password.
    return {
      ok: true,
      data: { username: user.username },
      message: "Your password was changed. Other sessions signed in with the old password have ended.",
    };
  },
);

/** Withdraws the user's consent to an OAuth2 application; its tokens for this user end at once. */
export const revokeAuthorizedAppAction = userAction(z.object({ clientId: z.string().min(1).max(128) }), async ({ ctx }, { clientId }) => {
  const { revokedTokens } = await revokeAuthorization(ctx, clientId);
  revalidatePath("/account");
  return { ok: true, message: `Access revoked${revokedTokens ? ` (${revokedTokens} ${revokedTokens === 1 ? "token" : "tokens"} ended)` : ""}.` };
});
