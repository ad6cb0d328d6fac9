// The console's one guard: who is signed in (re-read from the database on every request, so a
// deactivation or demotion takes effect at once), and the wrapper every server action goes through.
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { formAction, type ActionResult } from "@/lib/http/form-action";
import { clientIp } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";
import { actorOf } from "@/lib/domain/actor";
import type { ServiceContext } from "@/lib/services/context";
import type { UserWithSecret } from "@/lib/storage/types";
import { authOptions } from "./auth";

export interface ConsoleUser {
  ctx: ServiceContext;
  user: Omit<UserWithSecret, "passwordHash">;
  isAdmin: boolean;
}

/** The signed-in console user, or null (signed out, deleted or deactivated). */
export async function currentConsoleUser(): Promise<ConsoleUser | null> {
  const session = await getServerSession(authOptions());
  const signedIn = session?.user as { id?: string; passwordChangedAt?: unknown; via?: unknown } | undefined;
  if (!signedIn?.id) return null;
  const rt = await getRuntime();
  const found = await rt.store.users.byId(signedIn.id);
  if (!found || !found.isActive) return null;
  // Signed in before the password last changed (a reset, or a change in another browser): over.
  if (signedIn.passwordChangedAt !== found.passwordChangedAt) return null;
  // Only allow SAML 2.0 authentication ends the password sessions of non-admins at once.
  if (found.accessLevel !== "admin" && (signedIn.via ?? "password") === "password" && (await rt.store.settings.get()).ssoOnly) return null;
  const { passwordHash: _omit, ...user } = found;
  const h = await headers();
  const actor = actorOf(user, "console");
  return {
    ctx: { rt, actor, meta: { ip: clientIp(h, rt.settings.trustProxy), userAgent: h.get("user-agent") } },
    user,
    isAdmin: user.accessLevel === "admin",
  };
}

/** For pages: the signed-in user, or a redirect to sign-in. */
export async function requireConsoleUser(): Promise<ConsoleUser> {
  const u = await currentConsoleUser();
  if (!u) redirect("/signin");
  return u;
}

/** For admin pages: non-admins are sent to their own account page. */
export async function requireConsoleAdmin(): Promise<ConsoleUser> {
  const u = await requireConsoleUser();
  if (!u.isAdmin) redirect("/account?denied=1");
  return u;
}

export type { ActionResult };

/** A server action for administrators only; the check runs on the server before anything else. */
export const adminAction = <S extends z.ZodType, T = undefined>(
  schema: S,
  fn: (u: ConsoleUser, input: z.output<S>) => Promise<ActionResult<T> | void>,
) => formAction(currentConsoleUser, true, schema, fn);

/** A server action any signed-in user may call (for their own things). */
export const userAction = <S extends z.ZodType, T = undefined>(
  schema: S,
  fn: (u: ConsoleUser, input: z.output<S>) => Promise<ActionResult<T> | void>,
) => formAction(currentConsoleUser, false, schema, fn);
