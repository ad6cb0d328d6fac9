/** The seeding and repair calls: plain requests through the Web handler, from an address the generated requests never use. */
import { handleRestRequest } from "../../../lib/rest/handler";
import { isPlainObject } from "./checks";
import { ORIGIN } from "./send";

/** Address of the seeding and repair requests; generated requests never use it. */
export const REPAIR_IP = "198.51.100.250";

export interface Answer {
  status: number;
  body: unknown;
}

/** A seeding or repair call, from an address the generated requests never use. */
export async function call(pathAndQuery: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown } = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  let payload: string | undefined;
  if (init.form) {
    payload = new URLSearchParams(init.form).toString();
    headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (init.json !== undefined) {
    payload = JSON.stringify(init.json);
    headers.set("content-type", "application/json");
  }
  const req = new Request(`${ORIGIN}/attask/api/v20.0${pathAndQuery}`, { method: init.method ?? (payload ? "POST" : "GET"), headers, body: payload });
  const res = await handleRestRequest(req, { ip: REPAIR_IP });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

export async function must(pathAndQuery: string, init: Parameters<typeof call>[1]): Promise<Record<string, unknown>> {
  const r = await call(pathAndQuery, init);
  if (r.status !== 200 || !isPlainObject(r.body)) throw new Error(`seeding ${pathAndQuery} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.data as Record<string, unknown>;
}

/** A REST login; with X.509 certificate login on, `apiCertificate` must be an accepted certificate. */
export async function login(username: string, password: string, apiCertificate?: string): Promise<string | null> {
  const r = await call("/login", { form: { username, password, ...(apiCertificate ? { apiCertificate } : {}) } });
  return r.status === 200 && isPlainObject(r.body) && isPlainObject(r.body.data) ? String(r.body.data.sessionID) : null;
}

export async function mustLogin(username: string, password: string): Promise<string> {
  const s = await login(username, password);
  if (!s) throw new Error(`seeding: ${username} could not sign in`);
  return s;
}

export async function keyAction(action: string, username: string, password: string): Promise<string> {
  const data = await must(`/user?action=${action}`, { form: { method: "PUT", username, password } });
  return String(data.result);
}

export async function newProject(session: string, name: string, ownerID?: string): Promise<string> {
  return String((await must("/proj", { headers: { sessionID: session }, json: { name, description: `${name} (seeded)`, status: "CUR", priority: 1, ownerID } })).ID);
}
