"use server";
// Server action of Setup > System > Security: password reset period and failed-sign-in lockout.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/app/_server/guard";
import { updatePasswordPolicy } from "@/lib/services/settings/update-password-policy";

export const savePasswordPolicyAction = adminAction(
  z.object({
    passwordReset: z.literal("on").optional(),
    passwordResetDays: z.coerce.number().optional(),
    lockoutEnabled: z.literal("on").optional(),
    lockoutMinutes: z.coerce.number(),
  }),
  async ({ ctx }, input) => {
    await updatePasswordPolicy(ctx, {
      passwordResetDays: input.passwordReset === "on" ? (input.passwordResetDays ?? 30) : null,
      lockoutEnabled: input.lockoutEnabled === "on",
      lockoutMinutes: input.lockoutMinutes,
    });
    revalidatePath("/setup/system/security");
    revalidatePath("/setup/system/customer-info");
    return { ok: true, message: "Settings saved." };
  },
);
