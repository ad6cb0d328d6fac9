/** Setup > System > Security: forced password resets and failed-sign-in lockout (threshold fixed at 5). */
import { z } from "zod";
import { PASSWORD_RESET_DAYS } from "../../domain/expiry";
import type { InstanceSettings } from "../../storage/types";
import { requireAdmin, type ServiceContext } from "../context";
import { parseInput } from "../../domain/validation";
import { saveSettings } from "./get";

export const LOCKOUT_MINUTES = [10, 30, 60, 480, 1440] as const;

const oneOf = <T extends number>(values: readonly T[], message: string) =>
  z.number().refine((n): n is T => (values as readonly number[]).includes(n), message);

export const PasswordPolicyInput = z.object({
  passwordResetDays: z.union([z.null(), oneOf(PASSWORD_RESET_DAYS, `Password reset days must be one of ${PASSWORD_RESET_DAYS.join(", ")}`)]),
  lockoutEnabled: z.boolean(),
  lockoutMinutes: oneOf(LOCKOUT_MINUTES, `Lockout duration must be one of ${LOCKOUT_MINUTES.join(", ")} minutes`),
});
export type PasswordPolicyInput = z.input<typeof PasswordPolicyInput>;

export async function updatePasswordPolicy(ctx: ServiceContext, raw: PasswordPolicyInput): Promise<InstanceSettings> {
  requireAdmin(ctx);
  const input = parseInput(PasswordPolicyInput, raw);
  return saveSettings(ctx, input, "settings.security");
}
