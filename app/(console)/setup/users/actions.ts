"use server";
// Server actions of Setup > Users: each parses the form, calls a users service and refreshes the list.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction, type ConsoleUser } from "@/app/_server/guard";
import type { PasswordShownOnce } from "@/components/users/types";
import { createUser, resetPassword, updateUser } from "@/lib/services/users/write";

const USERS_PATH = "/setup/users";

/** An optional form field: the empty string of an untouched input means "not given". */
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

const UserFields = z.object({
  username: z.string(),
  name: z.string(),
  email: z.string().default(""),
  accessLevel: z.enum(["admin", "user"], { message: "Choose an access level" }),
  // A checkbox: "on" when ticked, absent when not (the create form and the edit dialog always show it).
  isDeveloper: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
});

/** The username for a result message, read back rather than trusted from the form. */
async function usernameOf(ctx: ConsoleUser["ctx"], id: string): Promise<string> {
  return (await ctx.rt.store.users.byId(id))?.username ?? "the user";
}

export const createUserAction = adminAction(
  UserFields.extend({ password: optionalText }),
  async ({ ctx }, input) => {
    const user = await createUser(ctx, input, { apiFieldNames: false });
    revalidatePath(USERS_PATH);
    const data: PasswordShownOnce = { username: user.username, generatedPassword: user.generatedPassword };
    return { ok: true, data, message: `User ${user.username} was created.` };
  },
);

export const updateUserAction = adminAction(UserFields.extend({ id: z.string().min(1) }), async ({ ctx }, { id, ...fields }) => {
  await updateUser(ctx, id, fields, { apiFieldNames: false });
  revalidatePath(USERS_PATH);
  return { ok: true, message: `Saved changes to ${fields.username.trim()}.` };
});

export const resetPasswordAction = adminAction(
  z.object({ id: z.string().min(1), password: optionalText }),
  async ({ ctx }, { id, password }) => {
    const { generatedPassword } = await resetPassword(ctx, id, password);
    const username = await usernameOf(ctx, id);
    revalidatePath(USERS_PATH);
    const data: PasswordShownOnce = { username, generatedPassword };
    return { ok: true, data, message: `The password of ${username} was reset; their API sessions were ended.` };
  },
);

export const setUserActiveAction = adminAction(
  z.object({ id: z.string().min(1), active: z.enum(["true", "false"]) }),
  async ({ ctx }, { id, active }) => {
    const isActive = active === "true";
    await updateUser(ctx, id, { isActive }, { apiFieldNames: false });
    const username = await usernameOf(ctx, id);
    revalidatePath(USERS_PATH);
    return { ok: true, message: `${username} was ${isActive ? "reactivated" : "deactivated"}.` };
  },
);
