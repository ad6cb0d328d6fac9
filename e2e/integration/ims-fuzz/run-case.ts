/**
 * One IMS fuzz case: repair the world (and, for a revocation race, ready a victim credential), sign
 * the case's assertions, send its requests at once through the real handler (revoking the victim
 * among them), check each answer on its own and against the model, then what the case stored, and
 * try every token it was issued on the REST API: it searches projects (401 once its credential
 * was revoked), one character changed anywhere in its payload or signature makes it worthless, and
 * one without the write metascope may not create a project.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { handleImsRequest } from "../../../lib/ims/handler";
import { revokeServiceCredential } from "../../../lib/services/service-credentials/manage";
import { api, consoleContext, type TestAnswer } from "../../../lib/testing/runtime";
import type { FuzzCase } from "../fuzz/case";
import { isPlainObject } from "../fuzz/checks";
import { resolve, type Refs } from "../fuzz/placeholders";
import { countStatuses, excerpt, type StatusCounts } from "../fuzz/report";
import { buildRequest, carriedText, type BuiltRequest } from "../fuzz/send";
import { signAssertion, type SignedAssertion } from "./assertions";
import type { ImsCase } from "./case";
import { answerProblems, DAY_MS, parsed, type Answer } from "./checks";
import type { ImsFuzzInstance, TokenRow } from "./instance";
import { operationAt, predict, type ModelWorld, type Prediction, type SeenParam } from "./model";
import { FORM_TYPES } from "./vocabulary";
import { standardAssertion, WRITE, type WorldCred } from "./world";

/** An answer slower than this, in-process on a small database, is a denial of service. */
const SLOW_MS = 5000;
const MAX_BODY_BYTES = 1024 * 1024;
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

export interface RunStats {
  /** Cases run, shrinking included. */
  cases: number;
  statuses: StatusCounts;
  issued: number;
  /** Issued tokens tried on the REST API, and how many of those were tampered copies refused. */
  restChecked: number;
  tampered: number;
  readOnlyRefused: number;
  created: number;
  /** Tokens of credentials revoked (in a race, or before the run) tried and refused. */
  revokedChecked: number;
  /** Tokens issued by exchanges that raced their credential's revocation (all refused once it settled). */
  raced: number;
  /** Answers the model predicted, and how many of them had to be successes. */
  predicted: number;
  mustSucceed: number;
  jtiRaces: number;
  revokeRaces: number;
}

export const newStats = (): RunStats => ({
  cases: 0,
  statuses: new Map(),
  issued: 0,
  restChecked: 0,
  tampered: 0,
  readOnlyRefused: 0,
  created: 0,
  revokedChecked: 0,
  raced: 0,
  predicted: 0,
  mustSucceed: 0,
  jtiRaces: 0,
  revokeRaces: 0,
});

interface Sending {
  c: FuzzCase;
  built: BuiltRequest;
  prediction: Prediction | null;
}

const PLACEHOLDER = /\{\{([\w.]+)\}\}/g;

/** One character changed in the middle (never only padding). */
export function typo(s: string): string {
  if (s === "") return "x";
  const i = Math.floor(s.length / 2);
  return s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
}

const fixText = (s: string) => s.replace(/\p{Surrogate}/gu, "\ufffd");

/**
 * The parameters as the server reads them, when the delivery leaves no doubt: the query string
 * (encoded), and an urlencoded body with a form content type or a multipart body FormData wrote;
 * no header that changes how the body is read. Null otherwise.
 */
function seenParams(c: FuzzCase, refs: Refs): { params: SeenParam[]; tooLarge: boolean } | null {
  if (c.query.length > 0 && c.queryStyle !== "encoded") return null;
  if ([...c.headers, ...c.credential].some(([n]) => /^(content-|transfer-)/i.test(n))) return null;
  const read = (ps: { name: string; value: string }[], inQuery: boolean): SeenParam[] => ps.map((x) => ({ name: fixText(resolve(x.name, refs)), value: fixText(resolve(x.value, refs)), inQuery }));
  const query = read(c.query, true);
  const body = c.body;
  if (["GET", "HEAD"].includes(c.method.toUpperCase()) || body.kind === "none") return { params: query, tooLarge: false };
  if (body.kind === "form" && body.contentType !== null && FORM_TYPES.includes(body.contentType)) {
    const ps = read(body.params, false);
    const size = ps.reduce((n, x) => n + Buffer.byteLength(encodeURIComponent(x.name)) + Buffer.byteLength(encodeURIComponent(x.value)) + 2, 0);
    return { params: [...query, ...ps], tooLarge: size > MAX_BODY_BYTES };
  }
  if (body.kind === "multipart" && body.contentType === null) {
    const ps = read(body.params, false);
    if (ps.some((x) => /["\r\n]/.test(x.name) || /[\r\n]/.test(x.value))) return null;
    const size = ps.reduce((n, x) => n + Buffer.byteLength(x.name) + Buffer.byteLength(x.value) + 120, 0);
    if (size > MAX_BODY_BYTES - 50_000) return null;
    return { params: [...query, ...ps], tooLarge: false };
  }
  return null;
}

/** Every client_secret and jwt_token value the request carried (and the parts of a JWT but its header): no answer may echo them. */
function sentSecrets(c: FuzzCase, refs: Refs, signed: SignedAssertion[]): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  const add = (label: string, value: string) => {
    if (value.length >= 16) out.push({ label, value });
    const parts = value.split(".");
    if (parts.length > 1) for (const part of parts.slice(1)) if (part.length >= 16) out.push({ label: `a part of ${label}`, value: part });
  };
  const named: [string, unknown][] = [...c.query.map((x): [string, unknown] => [x.name, x.value])];
  if (c.body.kind === "form" || c.body.kind === "multipart") named.push(...c.body.params.map((x): [string, unknown] => [x.name, x.value]));
  if (c.body.kind === "jsonObject") named.push(...c.body.members);
  for (const [name, value] of named) {
    const n = resolve(name, refs);
    if ((n === "client_secret" || n === "jwt_token") && typeof value === "string") add(`the ${n} it sent`, resolve(value, refs));
  }
  for (const s of signed) add("an assertion of the case", s.text);
  return out;
}

/** What the model allows, given the answer. */
function conformance(pred: Prediction, a: Answer, limitsOn: boolean): string | null {
  const body = parsed(a.text);
  const outcome = a.res.status === 200 ? "ok" : isPlainObject(body) && typeof body.error === "string" ? body.error : `status ${a.res.status}`;
  if (pred.allowed.has(outcome as "ok")) return null;
  if (outcome === "too_many_requests" && limitsOn && pred.chargeable) return null;
  const wanted = [...pred.allowed].map((o) => (o === "ok" ? "200" : o)).join(" or ");
  return `the model expects ${wanted}${pred.chargeable && limitsOn ? " (or 429)" : ""} (${pred.why}), got ${a.res.status} ${outcome}`;
}

let probeAddress = 0;
/** A fresh address for each REST probe: refused probes must not fill one address's failed-credential bucket. */
const nextProbeIp = () => {
  const n = ++probeAddress;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

const search = (token: string) => api("/project/search", { headers: { authorization: `Bearer ${token}` }, ip: nextProbeIp() });
const create = (token: string) => api("/project", { form: { name: "IMS fuzz project" }, headers: { authorization: `Bearer ${token}` }, ip: nextProbeIp() });
const short = (r: TestAnswer) => `${r.status} ${excerpt(JSON.stringify(r.body), 300)}`;
const isAuthFailure = (r: TestAnswer) => r.status === 401 && isPlainObject(r.body) && isPlainObject(r.body.error) && r.body.error.class === "com.attask.common.AuthenticationException";

/** The token with one character of its payload or signature changed, and where. */
export function tampered(token: string, at: number, by: number): { text: string; where: string } {
  const [h = "", p = "", s = ""] = token.split(".");
  const i = at % (p.length + s.length);
  const [part, j] = i < p.length ? [p, i] : [s, i - p.length];
  const to = B64URL[(B64URL.indexOf(part[j]!) + 1 + (by % 63)) % 64]!;
  const changed = part.slice(0, j) + to + part.slice(j + 1);
  const text = i < p.length ? `${h}.${changed}.${s}` : `${h}.${p}.${changed}`;
  return { text, where: `${i < p.length ? "payload" : "signature"} character ${j} of ${part.length}, ${part[j]} -> ${to}` };
}

const decodePart = (part: string | undefined): Record<string, unknown> | null => {
  try {
    const v: unknown = JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));
    return isPlainObject(v) ? v : null;
  } catch {
    return null;
  }
};

const TOKEN_MEMBERS = "as,client_id,created_at,exp,expires_in,id,scope,type,user_id";

/** The issued token as a third party sees it: signed by a published key, in the vendor's claim shape, naming its credential. */
function tokenProblems(token: string, jwks: ReadonlyMap<string, KeyObject>, now: number): { problems: string[]; claims: Record<string, unknown> | null } {
  const [h, p, s] = token.split(".");
  const header = decodePart(h);
  const claims = decodePart(p);
  const problems: string[] = [];
  if (!header || header.alg !== "ES256" || header.typ !== "JWT" || typeof header.kid !== "string") problems.push(`the token header is ${JSON.stringify(header)}`);
  const key = typeof header?.kid === "string" ? jwks.get(header.kid) : undefined;
  if (!key) problems.push("the token's kid is not in the JWKS");
  else if (!verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s ?? "", "base64url"))) problems.push("the token does not verify with the JWKS key it names");
  if (!claims) return { problems: [...problems, "the token payload is not a JSON object"], claims: null };
  if (Object.keys(claims).sort().join(",") !== TOKEN_MEMBERS) problems.push(`the token claims are ${Object.keys(claims).sort().join(",")}`);
  if (claims.type !== "access_token" || claims.as !== "keyward") problems.push(`the token type/as are ${JSON.stringify([claims.type, claims.as])}`);
  if (typeof claims.id !== "string" || !/^[0-9a-f]{32}$/.test(claims.id)) problems.push(`the token id is ${JSON.stringify(claims.id)}`);
  if (claims.created_at !== String(now) || claims.expires_in !== String(DAY_MS)) problems.push(`created_at/expires_in ${JSON.stringify([claims.created_at, claims.expires_in])}, not [${now}, ${DAY_MS}] as strings`);
  if (claims.exp !== Math.floor((now + DAY_MS) / 1000)) problems.push(`exp ${JSON.stringify(claims.exp)}`);
  return { problems, claims };
}

async function sendOne(s: Sending): Promise<Answer> {
  const started = performance.now();
  const res = await handleImsRequest(s.built.request, s.c.ip === null ? undefined : { ip: s.c.ip });
  const text = await res.text();
  return { res, text, ms: performance.now() - started };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

function report(problems: string[], ic: ImsCase, sendings: Sending[], signed: SignedAssertion[], answers: Answer[], serverLog: string[]): string {
  const lines = [[...new Set(problems)].join("\n"), `case: ${ic.origin}${ic.race ? ` (revoke the ${ic.race.victim} victim after ${ic.race.after} requests and ${ic.race.ticks} turns)` : ""}`];
  sendings.forEach((s, i) => {
    const shown = s.built.shown;
    lines.push(
      `request ${i + 1}: ${shown.method} ${excerpt(shown.url, 400)}`,
      `  headers: ${excerpt(JSON.stringify(shown.headers), 300)}`,
      `  body: ${shown.body ? excerpt(shown.body, 500) : "(none)"}`,
      ...(s.c.ip === null ? [] : [`  client address: ${s.c.ip}`]),
      `  model: ${s.prediction ? `${[...s.prediction.allowed].join(" or ")} (${s.prediction.why})` : "no prediction"}`,
      ...(answers[i] ? [`  response: ${answers[i].res.status} ${excerpt(answers[i].text)}`] : []),
    );
  });
  signed.forEach((a, i) => lines.push(`assertion.${i}: header ${excerpt(a.headerText, 200)} payload ${excerpt(a.payloadText, 400)} (${a.spec.alg} with ${a.spec.key}, ${a.spec.mangle.kind})`));
  if (serverLog.length) lines.push(`server log: ${excerpt(serverLog.join("\n"), 800)}`);
  return lines.join("\n");
}

export async function runCase(inst: ImsFuzzInstance, ic: ImsCase, stats: RunStats, serverLog: string[], jwks: ReadonlyMap<string, KeyObject>): Promise<void> {
  const { rt, keeper } = inst;
  stats.cases++;
  rt.clock.advance(ic.requests[0]?.elapsedMs ?? 0);
  await keeper.repair();
  const victim = ic.race ? await keeper.victim(ic.race.victim) : null;
  const now = rt.clock.now();
  const world = keeper.world;

  // The case's assertions, signed now, and the placeholders they and the typos name.
  const refs = keeper.refs();
  const signed = ic.assertions.map((spec) => signAssertion(spec, world.keys, refs, now));
  signed.forEach((s, i) => refs.set(`assertion.${i}`, s.text));
  const caseText = JSON.stringify(ic.requests);
  for (const [, name] of caseText.matchAll(PLACEHOLDER)) {
    if (name!.startsWith("typo.")) refs.set(name!, typo(refs.get(name!.slice(5)) ?? name!));
  }
  const modelWorld: ModelWorld = {
    org: world.org,
    creds: world.creds,
    now,
    assertions: new Map([...(world.used ? [[world.used.signed.text, { signed: world.used.signed, used: true }] as const] : []), ...signed.map((s): [string, { signed: SignedAssertion; used: boolean }] => [s.text, { signed: s, used: false }])]),
  };

  const sendings: Sending[] = ic.requests.flatMap((c) =>
    Array.from({ length: c.copies }, () => {
      const built = buildRequest(c, refs);
      const seen = seenParams(c, refs);
      return { c, built, prediction: predict(built.request.method, new URL(built.request.url).pathname, seen?.params ?? null, modelWorld, seen?.tooLarge ?? false) };
    }),
  );
  // Copies of a valid assertion with a jti: one succeeds, the others are replays.
  const singleUse = new Map<string, number[]>();
  sendings.forEach((s, i) => {
    if (s.prediction?.singleUse) singleUse.set(s.prediction.singleUse, [...(singleUse.get(s.prediction.singleUse) ?? []), i]);
  });
  for (const [, group] of singleUse) {
    if (group.length < 2) continue;
    for (const i of group) {
      const p = sendings[i]!.prediction!;
      sendings[i]!.prediction = { ...p, allowed: new Set([...p.allowed, "invalid_token"]), chargeable: true, why: `${p.why}, sent ${group.length} times at once` };
    }
  }

  const beforeTokens = inst.tokensCreatedSince(now);
  const beforeEvents = inst.issuedEvents();
  serverLog.length = 0;

  // Send, with the revocation (and a REST call with the victim's earlier token) among the requests.
  const pending: Promise<Answer>[] = [];
  let revoking: Promise<string | null> | null = null;
  let oldCall: Promise<TestAnswer> | null = null;
  for (let i = 0; i <= sendings.length; i++) {
    if (ic.race && victim && i === ic.race.after) {
      for (let t = 0; t < ic.race.ticks; t++) await turn();
      const ctx = await consoleContext(rt);
      revoking = revokeServiceCredential(ctx, victim.cred.clientId).then(
        () => null,
        (e: unknown) => `the revocation failed: ${e instanceof Error ? e.message : String(e)}`,
      );
      if (ic.race.restOld) oldCall = search(victim.oldToken);
    }
    if (i < sendings.length) pending.push(sendOne(sendings[i]!));
  }
  const answers = await Promise.all(pending);
  const problems: string[] = [];
  if (revoking) {
    const failed = await revoking;
    if (failed) problems.push(failed);
    keeper.victimRevoked();
  }
  const oldAnswer = oldCall ? await oldCall : null;
  countStatuses(stats.statuses, answers);

  // Each answer on its own, and against the model.
  const secrets = inst.secrets();
  for (const [i, a] of answers.entries()) {
    const s = sendings[i]!;
    const label = sendings.length > 1 ? `request ${i + 1}: ` : "";
    const ctx = {
      method: s.built.request.method,
      pathname: new URL(s.built.request.url).pathname,
      requestText: carriedText(s.built.shown),
      secrets,
      sent: sentSecrets(s.c, refs, signed),
      limitsOn: inst.limitsOn,
    };
    problems.push(...answerProblems(a, ctx).map((p) => label + p));
    if (a.ms > SLOW_MS) problems.push(`${label}the answer took ${Math.round(a.ms)} ms`);
    if (s.prediction) {
      stats.predicted++;
      if (s.prediction.allowed.size === 1 && s.prediction.allowed.has("ok")) stats.mustSucceed++;
      const wrong = conformance(s.prediction, a, inst.limitsOn);
      if (wrong) problems.push(label + wrong);
    }
  }
  for (const [key, group] of singleUse) {
    if (group.length < 2) continue;
    stats.mustSucceed++;
    const ok = group.filter((i) => answers[i]!.res.status === 200).length;
    const racing = group.some((i) => sendings[i]!.prediction!.allowed.has("invalid_client"));
    if (racing ? ok > 1 : ok !== 1) problems.push(`${ok} of ${group.length} exchanges of one assertion (jti ${key.split(" ")[1]}) at once succeeded, not ${racing ? "at most" : "exactly"} one`);
  }
  if (oldAnswer && oldAnswer.status !== 200 && !isAuthFailure(oldAnswer)) problems.push(`a REST call racing the revocation got ${short(oldAnswer)}`);

  // What was stored: exactly the tokens handed out, one issue event each, no jti claimed by a refusal.
  const issued: { token: string; sending: Sending; claims: Record<string, unknown> | null }[] = [];
  for (const [i, a] of answers.entries()) {
    const s = sendings[i]!;
    const op = operationAt(new URL(s.built.request.url).pathname);
    const body = parsed(a.text);
    if (a.res.status !== 200 || (op !== "exchange" && op !== "token") || !isPlainObject(body) || typeof body.access_token !== "string") continue;
    const checked = tokenProblems(body.access_token, jwks, now);
    problems.push(...checked.problems);
    issued.push({ token: body.access_token, sending: s, claims: checked.claims });
  }
  const afterTokens = inst.tokensCreatedSince(now);
  const added = new Map([...afterTokens].filter(([id]) => !beforeTokens.has(id)));
  const issuedIds = new Set(issued.map((t) => t.claims?.id));
  for (const [id, row] of added) if (!issuedIds.has(id)) problems.push(`a ${row.kind} token of ${row.clientId} was stored that no answer handed out`);
  if (inst.issuedEvents() - beforeEvents !== issued.length) problems.push(`${issued.length} tokens issued, ${inst.issuedEvents() - beforeEvents} ims_token.issue events`);
  for (const s of signed) {
    if (s.jti === null) continue;
    const claimed = inst.claimedJti(s.jti);
    const used = issued.some((t) => t.sending.prediction?.singleUse?.endsWith(` ${s.jti}`));
    if (claimed > 1 || (issued.length === 0 && claimed > 0) || (used && claimed !== 1)) problems.push(`the jti ${s.jti} is claimed ${claimed} times after ${issued.length} successes`);
  }
  if (victim && inst.liveTokensOf(victim.cred.clientId) !== 0) problems.push(`after the revocation settled, ${inst.liveTokensOf(victim.cred.clientId)} tokens of the revoked credential are still stored`);
  if (problems.length > 0) throw new Error(report(problems, ic, sendings, signed, answers, serverLog));

  // Every issued token on the REST API.
  for (const t of issued) {
    stats.issued++;
    const claims = t.claims!;
    const cred: WorldCred | undefined = [...world.creds.values()].find((c) => c.clientId === claims.client_id);
    const stored: TokenRow | undefined = added.get(claims.id as string);
    const grant = t.sending.prediction?.grant ?? null;
    if (!cred) {
      problems.push(`a token names the client ${JSON.stringify(claims.client_id)}, which is no credential`);
      continue;
    }
    if (!carriedText(t.sending.built.shown).includes(cred.clientId)) problems.push(`a token was issued to the ${cred.name} credential, which the request did not name`);
    if (claims.user_id !== cred.sub) problems.push(`a token of the ${cred.name} credential acts as ${JSON.stringify(claims.user_id)}, not its technical account`);
    if (grant && (grant.cred !== cred.name || claims.scope !== grant.scopes.join(","))) problems.push(`a token for ${cred.name} with the scopes ${JSON.stringify(claims.scope)}; the model expects ${grant.cred} with ${grant.scopes.join(",")}`);
    const revokedMeanwhile = victim !== null && cred.clientId === victim.cred.clientId;
    if (!revokedMeanwhile) {
      if (!stored) problems.push("an issued token is not stored");
      else if (stored.userId !== cred.sub || stored.scope !== claims.scope || stored.clientId !== cred.clientId || (grant && stored.kind !== grant.kind)) problems.push(`the stored token is ${JSON.stringify(stored)}`);
    }
    const r = await search(t.token);
    stats.restChecked++;
    if (revokedMeanwhile) {
      stats.revokedChecked++;
      stats.raced++;
      if (!isAuthFailure(r)) problems.push(`a token issued while its credential was being revoked works after the revocation: ${short(r)}`);
      continue;
    }
    if (r.status !== 200 || !isPlainObject(r.body) || !Array.isArray(r.body.data)) problems.push(`an issued token is refused by the REST API: ${short(r)}`);
    const forged = tampered(t.token, ic.probe.tamperAt, ic.probe.tamperBy);
    const f = await search(forged.text);
    stats.tampered++;
    if (!isAuthFailure(f)) problems.push(`the token with one character changed (${forged.where}) gets ${short(f)}: ${forged.text}`);
    const scopes = typeof claims.scope === "string" ? claims.scope.split(",") : [];
    if (!scopes.includes(WRITE)) {
      const w = await create(t.token);
      stats.readOnlyRefused++;
      if (w.status !== 403 || !isPlainObject(w.body) || !isPlainObject(w.body.error) || w.body.error.class !== "com.attask.common.SecurityException") problems.push(`a token with only ${JSON.stringify(claims.scope)} creates a project: ${short(w)}`);
    } else if (ic.probe.create) {
      const w = await create(t.token);
      stats.created++;
      if (w.status !== 200 || !isPlainObject(w.body) || !isPlainObject(w.body.data) || w.body.data.objCode !== "PROJ") problems.push(`a token with ${JSON.stringify(claims.scope)} cannot create a project: ${short(w)}`);
    }
  }

  // After a revocation race: the earlier token is dead, and a new exchange fails with invalid_client.
  if (victim) {
    stats.revokeRaces++;
    const old = await search(victim.oldToken);
    stats.revokedChecked++;
    if (!isAuthFailure(old)) problems.push(`the token issued before the revocation still works: ${short(old)}`);
    const again = await againAfterRevoke(inst, victim.cred, ic.race!.victim, refs);
    const body = parsed(again.text);
    const error = isPlainObject(body) ? body.error : undefined;
    if (!(again.res.status === 401 && error === "invalid_client") && !(inst.limitsOn && again.res.status === 429)) problems.push(`an exchange after the revocation answered ${again.res.status} ${excerpt(again.text, 300)}`);
  } else if (ic.origin === "jti race") stats.jtiRaces++;

  // Now and then: the tokens issued while seeding are still live or still dead.
  if (stats.cases % 25 === 0) {
    for (const s of world.seeded) {
      const r = await search(s.token);
      if (!s.live) stats.revokedChecked++;
      if (s.live ? r.status !== 200 : !isAuthFailure(r)) problems.push(`${s.label} gets ${short(r)}`);
    }
  }
  if (problems.length > 0) throw new Error(report(problems, ic, sendings, signed, answers, serverLog));
  const last = issued.filter((t) => !(victim && t.claims?.client_id === victim.cred.clientId)).pop();
  if (last) world.recentToken = last.token;
}

/** A new, valid exchange (or grant) for a revoked victim. */
async function againAfterRevoke(inst: ImsFuzzInstance, cred: WorldCred, kind: "jwt" | "s2s", refs: Refs): Promise<Answer> {
  const form: Record<string, string> = { client_id: cred.clientId, client_secret: cred.secret };
  if (kind === "jwt") form.jwt_token = signAssertion(standardAssertion("victim", "victim", [WRITE], "fresh"), inst.keeper.world.keys, refs, inst.rt.clock.now()).text;
  else form.grant_type = "client_credentials";
  const request = new Request(`http://localhost:3000/ims/${kind === "jwt" ? "exchange/jwt" : "token/v3"}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  const res = await handleImsRequest(request, { ip: nextProbeIp() });
  return { res, text: await res.text(), ms: 0 };
}

/** The published keys, by kid, as a third party would import them. */
export async function publishedKeys(): Promise<Map<string, KeyObject>> {
  const res = await handleImsRequest(new Request("http://localhost:3000/ims/keys"));
  const body = (await res.json()) as { keys: (JsonWebKey & { kid: string })[] };
  return new Map(body.keys.map((k) => [k.kid, createPublicKey({ key: k, format: "jwk" })]));
}
