import type { ActionResult } from "@/lib/http/form-action";

/** A server action as the console's forms call it (see adminAction in app/_server/guard.ts). */
export type ConsoleAction<T = undefined> = (prev: unknown, form: FormData) => Promise<ActionResult<T>>;

/** What the users table knows about a user; never a password hash. */
export interface UserRow {
  id: string;
  username: string;
  name: string;
  email: string;
  accessLevel: "admin" | "user";
  /** May use the Developer Console although not an administrator. */
  isDeveloper: boolean;
  isActive: boolean;
  lastLoginAt: number | null;
}

export interface PasswordShownOnce {
  username: string;
  /** Present only when the server generated the password; it is never stored or shown again. */
  generatedPassword?: string;
}

export interface UserRowActions {
  update: ConsoleAction;
  resetPassword: ConsoleAction<PasswordShownOnce>;
  setActive: ConsoleAction;
}

export const ACCESS_LEVEL_LABEL: Record<UserRow["accessLevel"], string> = {
  admin: "System Administrator",
  user: "User",
};
