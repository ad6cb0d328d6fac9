/**
 * The console's form actions, without Next.js: who may call, input validation with zod, and errors
 * turned into form results. A failure never leaks internals; unexpected errors are logged.
 */
import type { z } from "zod";
import { AppError } from "../errors";
import { parseInput } from "../domain/validation";

export type ActionResult<T = undefined> = { ok: true; data?: T; message?: string } | { ok: false; error: string };

export const SESSION_ENDED = "Your session has ended. Sign in again.";
export const ADMINS_ONLY = "Only a System Administrator can do this.";

function formToObject(form: FormData): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$ACTION")) out[k] = v;
  return out;
}

export function formAction<U extends { isAdmin: boolean }, S extends z.ZodType, T>(
  currentUser: () => Promise<U | null>,
  adminOnly: boolean,
  schema: S,
  fn: (u: U, input: z.output<S>) => Promise<ActionResult<T> | void>,
) {
  return async (_prev: unknown, form: FormData): Promise<ActionResult<T>> => {
    const u = await currentUser();
    if (!u) return { ok: false, error: SESSION_ENDED };
    if (adminOnly && !u.isAdmin) return { ok: false, error: ADMINS_ONLY };
    try {
      const input = parseInput(schema, formToObject(form));
      return (await fn(u, input)) ?? { ok: true };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.message };
      console.error("keyward: console action failed:", e instanceof Error ? e.stack : e);
      return { ok: false, error: "Something went wrong. Nothing was changed." };
    }
  };
}
