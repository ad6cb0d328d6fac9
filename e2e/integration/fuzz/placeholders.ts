/** The {{...}} placeholders in generated values: the names the generators use, their current values, and their substitution. */
import type { JsonValue } from "./case";
import { PROJECTS_EACH, SCRATCH_PROJECTS, SCRATCH_USERS, type World } from "./world";

const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

export type Refs = Map<string, string>;

export const scratchUserRefs = Array.from({ length: SCRATCH_USERS }, (_, i) => `scratch.${i}`);
export const projectRefs = {
  admin: Array.from({ length: PROJECTS_EACH }, (_, i) => `{{proj.admin.${i}}}`),
  user: Array.from({ length: PROJECTS_EACH }, (_, i) => `{{proj.user.${i}}}`),
  scratch: Array.from({ length: SCRATCH_PROJECTS }, (_, i) => `{{proj.scratch.${i}}}`),
};

/** `{{repeat:N:text}}`, sent as `text` repeated N times: long values keep counterexamples short. */
export const repeated = ([n, chunk]: [number, string]) => `{{repeat:${n}:${chunk}}}`;
/** `{{scratch.N.id}}` for each throwaway user. */
export const scratchUserIdRefs = scratchUserRefs.map((s) => `{{${s}.id}}`);

/** What each placeholder stands for now (sessions, keys and projects change as the world is repaired). */
export function placeholderValues(w: World): Refs {
  const basic = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString("base64");
  const refs: Refs = new Map([
    ["admin.id", w.admin.id],
    ["admin.username", w.admin.username],
    ["admin.password", w.admin.password],
    ["admin.session", w.admin.session],
    ["user.id", w.user.id],
    ["user.username", w.user.username],
    ["user.password", w.user.password],
    ["user.session", w.user.session],
    ["user.apiKey", w.user.apiKey],
    ["session.expired", w.expiredSession],
    ["session.loggedOut", w.loggedOutSession],
    ["apiKey.stale", w.staleApiKey],
    ["apiKey.cleared", w.clearedApiKey],
    ["unknown.id", UNKNOWN_ID],
    ["basic.admin", basic(w.admin.username, w.admin.password)],
    ["basic.user", basic(w.user.username, w.user.password)],
    ["basic.wrong", basic(w.user.username, "wrong-password")],
  ]);
  for (const slot of ["current", "next", "stranger"] as const) {
    const c = w.certificates[slot];
    refs.set(`cert.${slot}.pem`, c.pem);
    refs.set(`cert.${slot}.body`, c.pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").trim());
    refs.set(`cert.${slot}.der64`, c.der64);
  }
  refs.set("cert.current.truncated", w.certificates.current.pem.slice(0, 300));
  refs.set("cert.key", w.certificates.privateKeyPem);
  w.scratch.forEach((s, i) => {
    refs.set(`scratch.${i}.id`, s.id);
    refs.set(`scratch.${i}.username`, s.username);
    refs.set(`scratch.${i}.password`, s.password);
  });
  for (const kind of ["admin", "user", "scratch"] as const) w.projects[kind].forEach((id, i) => refs.set(`proj.${kind}.${i}`, id));
  return refs;
}

export function resolve(text: string, refs: Refs): string {
  if (!text.includes("{{")) return text;
  return text
    .replace(/\{\{repeat:(\d+):([^}]*)\}\}/g, (_, n: string, chunk: string) => chunk.repeat(Number(n)))
    .replace(/\{\{([\w.]+)\}\}/g, (m, name: string) => refs.get(name) ?? m);
}

export function resolveJson(v: JsonValue, refs: Refs): JsonValue {
  if (typeof v === "string") return resolve(v, refs);
  if (Array.isArray(v)) return v.map((x) => resolveJson(x, refs));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveJson(x, refs)]));
  return v;
}
