import { z } from "zod";
import { InvalidRequest } from "../../errors";
import { PASSWORD_MIN_LENGTH } from "../../crypto/password";

export const USERNAME_RE = /^[A-Za-z0-9._@+-]{1,100}$/;

const fields = {
  username: z.string().trim().regex(USERNAME_RE, "Username may use letters, digits and . _ @ + - (1 to 100 characters)"),
  name: z.string().trim().min(1, "Name is required").max(255),
  email: z.union([z.literal(""), z.string().trim().email("Email address is not valid").max(255)]),
  accessLevel: z.enum(["admin", "user"]),
  /** Allowed into the Developer Console (administrators always are). */
  isDeveloper: z.boolean(),
  isActive: z.boolean(),
};

export const CreateUserInput = z.object({
  ...fields,
  email: fields.email.default(""),
  accessLevel: fields.accessLevel.default("user"),
  isDeveloper: fields.isDeveloper.default(false),
  isActive: fields.isActive.default(true),
  password: z.string().min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`).max(256).optional(),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

/** Only the fields given are changed: no defaults here, or an edit would reset the others. */
export const UpdateUserInput = z.object(fields).partial();
export type UpdateUserInput = z.input<typeof UpdateUserInput>;


const BOOLEAN_TEXT: ReadonlyMap<string, boolean> = new Map([
  ["true", true],
  ["1", true],
  ["false", false],
  ["0", false],
]);

/** REST field names (lower-cased) -> service input names. */
const API_FIELDS: ReadonlyMap<string, string> = new Map([
  ["emailaddr", "email"],
  ["username", "username"],
  ["name", "name"],
  ["accesslevel", "accessLevel"],
  ["isactive", "isActive"],
  ["password", "password"],
]);

/**
 * REST field names -> service input names. A password may be set when creating a user; changing one
 * is a password reset, never a side effect of an edit.
 */
export function fromApiFields(updates: Record<string, unknown>, opts: { creating: boolean }): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(updates)) {
    if (k === "ID" || k === "objCode") continue;
    const key = API_FIELDS.get(k.toLowerCase());
    if (!key) throw new InvalidRequest(`Invalid field "${k.slice(0, 100)}" for USER`);
    if (key === "password" && !opts.creating) throw new InvalidRequest("password cannot be changed by an edit; an administrator resets it in Setup > Users");
    if (key === "isActive" && typeof v !== "boolean") {
      const b = BOOLEAN_TEXT.get(String(v).toLowerCase());
      if (b === undefined) throw new InvalidRequest(`Invalid value for isActive (expected true or false)`);
      out[key] = b;
      continue;
    }
    out[key] = v;
  }
  return out;
}
