"use server";
// Server action of Setup > System > Single Sign-On (SSO).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/app/_server/guard";
import { SsoInput, updateSso } from "@/lib/services/settings/update-sso";

export const saveSsoAction = adminAction(
  z.object({ ssoType: SsoInput.shape.ssoType, ssoOnly: z.literal("on").optional() }),
  async ({ ctx }, input) => {
    await updateSso(ctx, { ssoType: input.ssoType, ssoOnly: input.ssoOnly === "on" });
    revalidatePath("/setup/system/sso");
    return { ok: true, message: "Settings saved." };
  },
);
