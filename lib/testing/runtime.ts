/** Test support: a runtime over a fresh SQLite file in a temporary folder, with an injectable clock. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fixedClock } from "../clock";
import { actorOf } from "../domain/actor";
import { handleOAuthRequest } from "../oauth/handler";
import { handleRestRequest } from "../rest/handler";
import type { RequestMeta, ServiceContext } from "../services/context";
import { createRuntime, setRuntime, type Runtime } from "../runtime";

export const ADMIN = { username: "admin", password: "admin-password-1" };
export const BASE = "http://localhost:3000/attask/api/v20.0";

export interface TestRuntime extends Runtime {
  dir: string;
  clock: ReturnType<typeof fixedClock>;
  /** Closes the store and removes the folder. */
  cleanup(): Promise<void>;
}

export async function createTestRuntime(env: Record<string, string> = {}): Promise<TestRuntime> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-test-"));
  const clock = fixedClock(Date.UTC(2026, 0, 15, 12, 0, 0));
  const rt = await createRuntime({
    env: {
      DATABASE_PATH: path.join(dir, "keyward.db"),
      KEYWARD_ADMIN_USERNAME: ADMIN.username,
      KEYWARD_ADMIN_PASSWORD: ADMIN.password,
      KEYWARD_SCRYPT_LOG_N: "10",
      KEYWARD_PUBLIC_URL: "http://localhost:3000",
      // In-process calls share one unknown address: suites for other features would trip the
      // per-address limits, which have suites of their own (rate-limits.test.ts).
      KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "0",
      KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "0",
      KEYWARD_PASSWORD_HASH_QUEUE: "1000",
      KEYWARD_LIMIT_REFUSAL_DELAY_MS: "0",
      ...env,
    },
    clock,
  });
  setRuntime(rt);
  return {
    ...rt,
    dir,
    clock,
    async cleanup() {
      await rt.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

type TestCall = { method?: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown; body?: BodyInit; ip?: string };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies freely and compare them whole
export type TestAnswer = { status: number; body: any; headers: Headers };

/** Calls an API handler the way a client would: a form, JSON or raw body, from `ip` when given. */
async function callHandler(
  handler: (req: Request, info?: { ip?: string | null }) => Promise<Response>,
  url: string,
  init: TestCall,
  defaultMethod: (hasBody: boolean) => string,
): Promise<TestAnswer> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set("content-type", "application/json");
  }
  const res = await handler(new Request(url, { method: init.method ?? defaultMethod(body !== undefined), headers, body }), init.ip === undefined ? undefined : { ip: init.ip });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Calls the REST handler the way a client would. */
export function api(pathAndQuery: string, init: TestCall & { body?: string } = {}): Promise<TestAnswer> {
  return callHandler(handleRestRequest, pathAndQuery.startsWith("http") ? pathAndQuery : BASE + pathAndQuery, init, (hasBody) => (hasBody ? "POST" : "GET"));
}

export async function loginAs(username: string, password: string): Promise<string> {
  const r = await api("/login", { form: { username, password } });
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  return (r.body as { data: { sessionID: string } }).data.sessionID;
}

export const OAUTH_BASE = "http://localhost:3000/integrations/oauth2/api/v1";

/** Calls the OAuth2 handler the way a client would (POST unless told otherwise). */
export function oauthApi(pathAndQuery: string, init: TestCall = {}): Promise<TestAnswer> {
  return callHandler(handleOAuthRequest, pathAndQuery.startsWith("http") ? pathAndQuery : OAUTH_BASE + pathAndQuery, init, () => "POST");
}

/** A service context acting as a user (by default the seeded administrator) from the console. */
export async function consoleContext(rt: Runtime, username = ADMIN.username, meta: RequestMeta = { ip: "127.0.0.1", userAgent: "test" }): Promise<ServiceContext> {
  const user = await rt.store.users.byUsername(username);
  if (!user) throw new Error(`no user ${username}`);
  return { rt, actor: actorOf(user, "console"), meta };
}
