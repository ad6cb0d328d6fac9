/**
 * A model of the documented IMS API, written from the product map and ARCHITECTURE.md rather than
 * from the code: for a request whose parameters the server reads unambiguously, which answers are
 * right. The checks come in stages, each before the next: routing and method, the parameters (each
 * at most once, secrets never in the URL), client authentication, the assertion's form, algorithm
 * and signature, its claims, the jti replay store. Within a stage the order of the checks is the
 * server's business, so any of the stage's codes is accepted.
 */
import type { SignedAssertion } from "./assertions";
import type { CredName, WorldCred } from "./world";

export type ErrorCode =
  | "invalid_client"
  | "invalid_token"
  | "invalid_signature"
  | "invalid_scope"
  | "bad_request"
  | "unsupported_grant_type"
  | "method_not_allowed"
  | "not_found"
  | "too_many_requests";

export type Outcome = "ok" | ErrorCode;
export type Operation = "exchange" | "token" | "keys";

/** The status each error code is answered with. */
export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_client: 401,
  invalid_token: 400,
  invalid_signature: 400,
  invalid_scope: 400,
  bad_request: 400,
  unsupported_grant_type: 400,
  method_not_allowed: 405,
  not_found: 404,
  too_many_requests: 429,
};

export interface Grant {
  cred: CredName;
  kind: "jwt_bearer" | "client_credentials";
  /** The metascopes the token must carry, in order. */
  scopes: string[];
}

export interface Prediction {
  allowed: Set<Outcome>;
  /** The refusal is charged to the limiter, so with limits on a 429 may come instead. */
  chargeable: boolean;
  /** What a success issues. */
  grant: Grant | null;
  /** A success claims this jti of this client: among copies sent at once, only one may. */
  singleUse: string | null;
  why: string;
}

/** A parameter as the server reads it. */
export interface SeenParam {
  name: string;
  value: string;
  inQuery: boolean;
}

export interface ModelWorld {
  org: string;
  creds: ReadonlyMap<CredName, WorldCred>;
  now: number;
  /** Assertions this case signed (and the one already exchanged), by their text. */
  assertions: ReadonlyMap<string, { signed: SignedAssertion; used: boolean }>;
}

const MAX_ASSERTION_CHARS = 16 * 1024;
const MAX_LIFETIME_MS = 24 * 3_600_000;
const MAX_JTI = 255;
const MAX_SCOPE_CHARS = 1024;

/** The operation at a path (with or without one trailing slash), or null. */
export function operationAt(pathname: string): Operation | null {
  if (!pathname.startsWith("/ims/")) return null;
  const rest = pathname.slice("/ims/".length).replace(/\/$/, "");
  return rest === "exchange/jwt" ? "exchange" : rest === "token/v3" ? "token" : rest === "keys" ? "keys" : null;
}

export const METHOD_OF: Record<Operation, string> = { exchange: "POST", token: "POST", keys: "GET" };

const refuse = (codes: ErrorCode[], why: string, chargeable: boolean): Prediction => ({ allowed: new Set(codes), chargeable, grant: null, singleUse: null, why });

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, "utf8").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Each parameter at most once; a present but empty one counts as absent. */
function readParams(ps: SeenParam[], names: string[], required: string[], notInUrl: string[]): { values: Map<string, string | undefined>; problems: string[] } {
  const problems: string[] = [];
  for (const n of notInUrl) if (ps.some((p) => p.inQuery && p.name === n)) problems.push(`${n} in the URL`);
  const values = new Map<string, string | undefined>();
  for (const n of names) {
    const all = ps.filter((p) => p.name === n);
    if (all.length > 1) problems.push(`${n} sent ${all.length} times`);
    const v = all[0]?.value;
    values.set(n, v === "" ? undefined : v);
    if (required.includes(n) && (v === undefined || v === "")) problems.push(`${n} missing`);
  }
  return { values, problems };
}

/** The credential this client ID and secret authenticate for a side, or why not. */
function client(w: ModelWorld, id: string | undefined, secret: string | undefined, side: "jwt" | "s2s"): { cred: WorldCred } | { problem: string; racing: WorldCred | null } {
  const cred = [...w.creds.values()].find((c) => c.clientId === id);
  if (!cred) return { problem: "unknown client", racing: null };
  if (secret !== cred.secret) return { problem: secret === undefined ? "no secret" : "wrong secret", racing: null };
  if (cred.revoked) return { problem: `the ${cred.name} credential is revoked`, racing: null };
  if (side === "jwt" && !cred.jwt) return { problem: `the ${cred.name} credential has no JWT side`, racing: null };
  if (side === "s2s" && !cred.s2s) return { problem: `the ${cred.name} credential has no server-to-server side`, racing: null };
  if (cred.racing) return { problem: "", racing: cred };
  return { cred };
}

/** A success, or (for a credential being revoked at that moment) a success or invalid_client. */
function success(grant: Grant, racing: boolean, singleUse: string | null, why: string): Prediction {
  return { allowed: new Set<Outcome>(racing ? ["ok", "invalid_client"] : ["ok"]), chargeable: racing, grant, singleUse, why };
}

/** The claims rules of the documented exchange, and the metascopes a valid assertion names. */
function claimProblems(claims: Record<string, unknown>, cred: WorldCred, w: ModelWorld): { codes: Set<ErrorCode>; why: string[]; scopes: string[]; jti: string | null } {
  const codes = new Set<ErrorCode>();
  const why: string[] = [];
  const bad = (code: ErrorCode, reason: string) => {
    codes.add(code);
    why.push(reason);
  };
  const { exp, iss, sub, aud, jti } = claims;
  if (typeof exp !== "number" || !Number.isInteger(exp)) bad("invalid_token", "exp is not a whole number");
  else if (exp * 1000 <= w.now) bad("invalid_token", "exp is past");
  else if (exp * 1000 - w.now > MAX_LIFETIME_MS) bad("invalid_token", "exp is more than 24 hours ahead");
  if (iss !== w.org) bad("invalid_token", "iss is not the org");
  if (sub !== cred.sub) bad("invalid_token", "sub is not the technical account");
  if (typeof aud !== "string" || !aud.endsWith(`/c/${cred.clientId}`)) bad("invalid_token", "aud does not end with /c/<client ID>");
  const scopes: string[] = [];
  for (const [name, value] of Object.entries(claims)) {
    if (value !== true) continue;
    const scope = /\/s\/([^/]+)$/.exec(name)?.[1];
    if (scope === undefined) continue;
    if (!cred.scopes.includes(scope)) bad("invalid_scope", `names the metascope ${JSON.stringify(scope.slice(0, 40))}, not granted`);
    else if (!scopes.includes(scope)) scopes.push(scope);
  }
  if (scopes.length === 0 && !codes.has("invalid_scope")) bad("invalid_scope", "names no metascope");
  if (jti !== undefined && (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI)) bad("invalid_token", "jti is not a string of 1 to 255 characters");
  return { codes, why, scopes, jti: typeof jti === "string" ? jti : null };
}

function predictExchange(ps: SeenParam[], w: ModelWorld): Prediction {
  const { values, problems } = readParams(ps, ["client_id", "client_secret", "jwt_token"], ["client_id", "jwt_token"], ["client_secret", "jwt_token"]);
  if (problems.length > 0) return refuse(["bad_request"], problems.join("; "), false);
  const auth = client(w, values.get("client_id"), values.get("client_secret"), "jwt");
  if ("problem" in auth && auth.racing === null) return refuse(["invalid_client"], auth.problem, true);
  const cred = "cred" in auth ? auth.cred : auth.racing!;
  const racing = cred.racing;
  const withRace = (p: Prediction): Prediction => (racing ? { ...p, allowed: new Set([...p.allowed, "invalid_client"]), chargeable: true } : p);

  const jwt = values.get("jwt_token")!;
  const known = w.assertions.get(jwt);
  if (!known) return withRace(refuse(["invalid_token", "invalid_signature"], "the jwt_token is no assertion this case signed", true));
  const { signed, used } = known;
  if (!signed.intact) return withRace(refuse(["invalid_token", "invalid_signature"], `the assertion was spoiled (${signed.spec.mangle.kind})`, true));
  if (signed.text.length > MAX_ASSERTION_CHARS) return withRace(refuse(["invalid_token"], "the assertion is longer than 16 KiB", true));
  const header = parseObject(signed.headerText);
  if (!header) return withRace(refuse(["invalid_token"], "the header is not a JSON object", true));
  if (signed.headerText === "" || signed.payloadText === "") return withRace(refuse(["invalid_token"], "an empty part", true));
  if (header.alg !== "RS256") return withRace(refuse(["invalid_signature"], `the header's alg is ${JSON.stringify(header.alg)}`, true));
  if (header.crit !== undefined) return withRace(refuse(["invalid_token"], "the header has crit", true));
  if (signed.spec.alg !== "RS256" || !cred.keys.includes(signed.spec.key)) {
    return withRace(refuse(["invalid_signature"], `signed ${signed.spec.alg} with the ${signed.spec.key} key, not one of the credential's`, true));
  }
  const claims = parseObject(signed.payloadText);
  if (!claims) return withRace(refuse(["invalid_token"], "the payload is not a JSON object", true));
  const checked = claimProblems(claims, cred, w);
  if (checked.codes.size > 0) return withRace(refuse([...checked.codes], checked.why.join("; "), true));
  if (used) return withRace(refuse(["invalid_token"], "the jti was exchanged before", true));
  const singleUse = checked.jti === null ? null : `${cred.clientId} ${checked.jti}`;
  return success({ cred: cred.name, kind: "jwt_bearer", scopes: checked.scopes }, racing, singleUse, `a valid assertion of the ${cred.name} credential`);
}

function predictToken(ps: SeenParam[], w: ModelWorld): Prediction {
  const { values, problems } = readParams(ps, ["grant_type", "client_id", "client_secret", "scope"], ["grant_type", "client_id"], ["client_secret"]);
  const grant = values.get("grant_type");
  const codes: ErrorCode[] = problems.length > 0 ? ["bad_request"] : [];
  if (grant !== undefined && grant !== "client_credentials") codes.push("unsupported_grant_type");
  if (codes.length > 0) return refuse(codes, [...problems, grant !== "client_credentials" ? `grant_type ${JSON.stringify(grant)}` : ""].filter(Boolean).join("; "), false);
  const auth = client(w, values.get("client_id"), values.get("client_secret"), "s2s");
  if ("problem" in auth && auth.racing === null) return refuse(["invalid_client"], auth.problem, true);
  const cred = "cred" in auth ? auth.cred : auth.racing!;
  const raw = values.get("scope");
  let scopes: string[];
  if (raw === undefined || raw.trim() === "") scopes = [...cred.scopes];
  else {
    if (raw.length > MAX_SCOPE_CHARS) return refuse(cred.racing ? ["invalid_scope", "invalid_client"] : ["invalid_scope"], "scope is too long", true);
    scopes = [...new Set(raw.split(/[,\s]+/).filter((s) => s !== ""))];
    const missing = scopes.find((s) => !cred.scopes.includes(s));
    if (missing !== undefined) return refuse(cred.racing ? ["invalid_scope", "invalid_client"] : ["invalid_scope"], `the metascope ${JSON.stringify(missing.slice(0, 40))} is not granted`, true);
  }
  return success({ cred: cred.name, kind: "client_credentials", scopes }, cred.racing, null, `the ${cred.name} credential's client credentials`);
}

/**
 * The right answers to a request: its method (as the Request normalised it), its path, and its
 * parameters as the server reads them (null when the delivery leaves them ambiguous: only routing
 * is judged then). `bodyTooLarge` when the body passes the 1 MiB the server reads.
 */
export function predict(method: string, pathname: string, params: SeenParam[] | null, w: ModelWorld, bodyTooLarge = false): Prediction | null {
  if (bodyTooLarge) return refuse(["bad_request"], "the body is larger than 1 MiB", false);
  const op = operationAt(pathname);
  if (op === null) return params === null ? null : refuse(["not_found"], "no IMS endpoint at this path", false);
  const m = method === "HEAD" ? "GET" : method;
  if (m !== METHOD_OF[op]) return params === null ? null : refuse(["method_not_allowed"], `${method} on ${op}`, false);
  if (op === "keys") return { allowed: new Set(["ok"]), chargeable: false, grant: null, singleUse: null, why: "the JWKS" };
  if (params === null) return null;
  return op === "exchange" ? predictExchange(params, w) : predictToken(params, w);
}
