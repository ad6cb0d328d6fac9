/**
 * One OAuth fuzz case: repair the world, send the request (and its copies) through the real
 * handler, check each answer, then check what the request changed in the tables against what it
 * was answered: a refusal issues, rotates and redeems nothing and revokes only what a replay
 * revokes; a success changes only what it should; issued tokens work on the REST API.
 */
import { lookupHash } from "../../../lib/crypto/secrets";
import { handleOAuthRequest } from "../../../lib/oauth/handler";
import { handleMetadataRequest } from "../../../lib/oauth/metadata-endpoint";
import { api } from "../../../lib/testing/runtime";
import type { FuzzCase } from "../fuzz/case";
import type { OAuthCase } from "./generators-realistic";
import { isPlainObject } from "../fuzz/checks";
import { countStatuses, excerpt, failureReport, type StatusCounts } from "../fuzz/report";
import { buildRequest, carriedText, type BuiltRequest } from "../fuzz/send";
import { answerProblems, decodedBasic, targetOf, type Answer, type AnswerContext } from "./checks";
import type { OAuthFuzzInstance } from "./instance";
import { refsFor } from "./refs";
import { codeChanges, tokenChanges, type OAuthSnapshot, type TokenRow } from "./snapshot";

/** An answer slower than this, in-process on a small database, is a denial of service. */
const SLOW_MS = 5000;
/** Every this many issued tokens, one is tried on the REST API. */
const REST_SAMPLE = 20;

export interface RunStats {
  /** Cases run, shrinking included. */
  cases: number;
  statuses: StatusCounts;
  issued: number;
  restChecked: number;
  revokedChecked: number;
  /** Cases the model says must succeed. */
  mustSucceed: number;
}

export const newStats = (): RunStats => ({ cases: 0, statuses: new Map(), issued: 0, restChecked: 0, revokedChecked: 0, mustSucceed: 0 });

interface Sending {
  built: BuiltRequest;
  ip: string | null;
}

function send(sendings: Sending[]): Promise<Answer[]> {
  return Promise.all(
    sendings.map(async ({ built: { request }, ip }) => {
      const handler = new URL(request.url).pathname.startsWith("/.well-known") ? handleMetadataRequest : handleOAuthRequest;
      const started = performance.now();
      const res = await handler(request, ip === null ? undefined : { ip });
      const text = await res.text();
      return { res, text, ms: performance.now() - started };
    }),
  );
}

function report(problems: string[], oc: OAuthCase, sendings: Sending[], answers: Answer[], serverLog: string[]): string {
  const model = oc.mustSucceed === null ? "" : `\n(the model says this request must succeed${oc.mustSucceed === "single" ? " once" : ""})`;
  const other = oc.also === null ? undefined : sendings[oc.request.copies];
  const race = other
    ? `\nsent at the same moment: ${other.built.shown.method} ${excerpt(other.built.shown.url, 300)}\n  headers: ${excerpt(JSON.stringify(other.built.shown.headers), 300)}\n  body: ${excerpt(other.built.shown.body, 300)}${other.ip === null ? "" : `\n  client address: ${other.ip}`}`
    : "";
  return failureReport(problems, oc.request, sendings[0]!.built.shown, answers, serverLog) + race + model;
}

const PLACEHOLDER = /\{\{([\w.]+)\}\}/g;

/** What an answer is checked against: its own request's method, URL, credential and text. */
function contextOf(inst: OAuthFuzzInstance, built: BuiltRequest, before: OAuthSnapshot): AnswerContext {
  const authorization = built.request.headers.get("authorization");
  return {
    method: built.shown.method,
    url: new URL(built.shown.url),
    authorization,
    requestText: `${carriedText(built.shown)}\n${decodedBasic(authorization)}`,
    alwaysSecret: [...inst.alwaysSecret, ...[...before.tokens.keys(), ...before.codes.keys()].map((value) => ({ label: "a stored token or code hash", value }))],
    known: inst.keeper.known,
    metadata: inst.metadata,
    publicUrl: inst.rt.settings.publicUrl,
    limitsOn: inst.limitsOn,
  };
}

export async function runCase(inst: OAuthFuzzInstance, oc: OAuthCase, stats: RunStats, serverLog: string[]): Promise<void> {
  const { rt, keeper } = inst;
  const c = oc.request;
  stats.cases++;
  const requests = oc.also === null ? [c] : [c, oc.also];
  rt.clock.advance(c.elapsedMs);
  await keeper.repair();
  const caseText = JSON.stringify(requests);
  const refs = await refsFor(keeper, rt, caseText);
  const sendings: Sending[] = requests.flatMap((r) => Array.from({ length: r.copies }, () => ({ built: buildRequest(r, refs), ip: r.ip })));
  const before = inst.tables.take();
  serverLog.length = 0;
  const answers = await send(sendings);
  const after = inst.tables.take();
  countStatuses(stats.statuses, answers);

  const contexts = sendings.map((x) => contextOf(inst, x.built, before));
  // The credentials the requests carried are the values of the placeholders they name (a typo names another value).
  const carried = new Set([...caseText.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => !n.startsWith("typo.")).flatMap((n) => refs.get(n) ?? []));
  const problems: string[] = [];
  for (const [i, a] of answers.entries()) {
    problems.push(...answerProblems(a, contexts[i]!).map((p) => (oc.also === null ? p : `${i === 0 ? "first" : "second"} request: ${p}`)));
    if (a.ms > SLOW_MS) problems.push(`the answer took ${Math.round(a.ms)} ms`);
  }
  // A right credential with a live grant, sent the documented way, is accepted (a single-use grant once).
  if (oc.mustSucceed !== null) {
    const successes = answers.filter((a) => a.res.status === 200).length;
    stats.mustSucceed++;
    if (oc.mustSucceed === "single" && c.copies > 1) {
      if (successes !== 1) problems.push(`${successes} of ${c.copies} copies of a single-use grant succeeded, not exactly one`);
    } else if (successes !== c.copies) {
      problems.push(`a request with a right credential and a live grant, sent as documented, was refused (${successes} of ${c.copies} succeeded)`);
    }
  }
  const bodies = answers.map((a) => {
    try {
      return JSON.parse(a.text) as unknown;
    } catch {
      return undefined;
    }
  });
  const input = { c, answers, bodies, before, after, carried, requestText: [...new Set(contexts.map((x) => x.requestText))].join("\n"), url: contexts[0]!.url, stats, problems };
  const issued = oc.also === null ? await stateProblems(inst, input) : raceProblems(inst, { ...input, urls: contexts.map((x) => x.url) });
  const family = familyProblems(inst, before, after);
  problems.push(...family.problems);
  // A surviving token of a revoked sign-in that this case was handed: does the REST API take it?
  for (const body of issued) {
    if (!family.survivors.has(lookupHash(rt.keys, body.access_token))) continue;
    const r = await api("/proj/search", { headers: { authorization: `Bearer ${body.access_token}` } });
    problems.push(`the surviving access token of the revoked sign-in gets ${r.status} from GET /attask/api/v20.0/proj/search`);
  }
  if (problems.length > 0) throw new Error(report(problems, oc, sendings, answers, serverLog));

  // Later cases present what this one was issued; a sample of issued tokens must work on the REST API.
  for (const body of issued) {
    keeper.noteIssued(body);
    stats.issued++;
    if (stats.issued % REST_SAMPLE !== 0 || sendings.length > 1) continue;
    stats.restChecked++;
    const r = await api("/proj/search", { headers: { authorization: `Bearer ${body.access_token}` } });
    if (r.status !== 200) problems.push(`an access token just issued is refused by the REST API: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    if (body.refresh_token !== undefined) {
      const rr = await api("/proj/search", { headers: { authorization: `Bearer ${body.refresh_token}` } });
      if (rr.status !== 401) problems.push(`a refresh token is accepted by the REST API as an access token: ${rr.status}`);
    }
  }
  if (problems.length > 0) throw new Error(report(problems, oc, sendings, answers, serverLog));
}

/**
 * A sign-in is revoked whole: when a live refresh token went (revocation, code replay, refresh
 * token reuse), no token of its family is left, not even one issued by a request that raced the revocation.
 */
function familyProblems(inst: OAuthFuzzInstance, before: OAuthSnapshot, after: OAuthSnapshot): { problems: string[]; survivors: Set<string> } {
  const now = inst.rt.clock.now();
  const { removed } = tokenChanges(before, after);
  const revoked = new Set(removed.filter((t) => t.kind === "refresh" && t.familyId !== null && !(t.expiresAt !== null && t.expiresAt <= now)).map((t) => t.familyId!));
  const survivors = [...after.tokens.values()].filter((t) => t.familyId !== null && revoked.has(t.familyId));
  return {
    problems: survivors.map((t) => `the sign-in (family ${t.familyId}) was revoked, yet ${t.kind === "access" ? "an" : "a"} ${t.kind} token of it (${t.grant}, ${before.tokens.has(t.hash) ? "issued before" : "issued by this case"}) is still stored`),
    survivors: new Set(survivors.map((t) => t.hash)),
  };
}

/** Two different requests at once: nothing stored that no answer handed out, nothing of an unnamed client deleted, no setting changed. */
function raceProblems(inst: OAuthFuzzInstance, s: StateInput & { urls: URL[] }): { access_token: string; refresh_token?: string }[] {
  const { keeper, rt } = inst;
  const { answers, bodies, before, after, problems } = s;
  const hash = (v: string) => lookupHash(rt.keys, v);
  const now = rt.clock.now();
  const issued: { access_token: string; refresh_token?: string }[] = [];
  const returned = new Set<string>();
  for (const [i, a] of answers.entries()) {
    const t = targetOf(s.urls[i]!);
    const body = bodies[i];
    if (a.res.status !== 200 || t.kind !== "oauth" || (t.op !== "token" && t.op !== "exchange") || !isPlainObject(body) || typeof body.access_token !== "string") continue;
    const answer = body as { access_token: string; refresh_token?: string };
    issued.push(answer);
    returned.add(hash(answer.access_token));
    if (answer.refresh_token !== undefined) returned.add(hash(answer.refresh_token));
  }
  const { added, removed } = tokenChanges(before, after);
  const clientIds = [keeper.world.apps.m2m.clientId, keeper.world.apps.web.clientId, keeper.world.apps.spa.clientId].filter((id) => s.requestText.includes(id));
  if (before.settings !== after.settings) problems.push("an app, client secret, public key or consent changed");
  for (const t of added) if (!returned.has(t.hash)) problems.push(`a ${t.kind} token (${t.grant}) was stored that no answer handed out`);
  for (const t of removed) if (!(t.expiresAt !== null && t.expiresAt <= now) && !clientIds.includes(t.clientId)) problems.push(`a live ${t.kind} token of a client neither request named was deleted`);
  if (after.issued - before.issued !== issued.length) problems.push(`${issued.length} token answers, ${after.issued - before.issued} oauth_token.issue events`);
  return issued;
}

interface StateInput {
  c: FuzzCase;
  answers: Answer[];
  bodies: unknown[];
  before: OAuthSnapshot;
  after: OAuthSnapshot;
  carried: Set<string>;
  requestText: string;
  url: URL;
  stats: RunStats;
  problems: string[];
}

/** Checks what the request changed; returns the token answers it was issued. */
async function stateProblems(inst: OAuthFuzzInstance, s: StateInput): Promise<{ access_token: string; refresh_token?: string }[]> {
  const { rt, keeper } = inst;
  const { answers, bodies, before, after, carried, problems } = s;
  const now = rt.clock.now();
  const urlTarget = targetOf(s.url);
  const hash = (v: string) => lookupHash(rt.keys, v);
  const carriedHashes = new Set([...carried].map(hash));
  const clientIds = [keeper.world.apps.m2m.clientId, keeper.world.apps.web.clientId, keeper.world.apps.spa.clientId];
  const carriedClients = new Set(clientIds.filter((id) => s.requestText.includes(id)));
  const carriedFamilies = new Set<string>();
  for (const h of carriedHashes) {
    const f = before.tokens.get(h)?.familyId ?? before.codes.get(h)?.familyId;
    if (f) carriedFamilies.add(f);
  }
  const expired = (t: TokenRow) => t.expiresAt !== null && t.expiresAt <= now;
  const { added, removed, changed } = tokenChanges(before, after);
  const codes = codeChanges(before, after);
  const ok = answers.filter((a) => a.res.status === 200);
  const name = (t: TokenRow) => `${t.kind} token of ${t.clientId === keeper.world.apps.web.clientId ? "web" : t.clientId === keeper.world.apps.spa.clientId ? "spa" : t.clientId === keeper.world.apps.m2m.clientId ? "m2m" : t.clientId} (${t.grant}, family ${t.familyId})`;

  if (before.settings !== after.settings) problems.push("an app, client secret, public key or consent changed");
  const removedFromOthers = removed.filter((t) => !expired(t) && !carriedClients.has(t.clientId));
  for (const t of removedFromOthers) problems.push(`a live ${name(t)} of a client the request did not name was deleted`);

  const op = urlTarget.kind === "oauth" ? urlTarget.op : "metadata";
  if (ok.length === 0) {
    // A refusal issues, rotates and touches no token, redeems no code and revokes only the family of a replayed grant.
    for (const t of added) problems.push(`a refused request issued a ${name(t)}`);
    for (const [, t] of changed) problems.push(`a refused request changed a ${name(t)}`);
    for (const t of removed) if (!expired(t) && !(t.familyId !== null && carriedFamilies.has(t.familyId))) problems.push(`a refused request deleted a ${name(t)} it did not replay`);
    for (const d of codes) problems.push(`a refused request changed the codes: ${d}`);
    if (after.issued !== before.issued) problems.push(`a refused request recorded ${after.issued - before.issued} oauth_token.issue events`);
    if (after.lastUsed !== before.lastUsed) problems.push("a refused request touched an app, secret or key");
    if (after.jtis > before.jtis) problems.push("a refused request claimed a JWT jti");
    return [];
  }

  const issued: { access_token: string; refresh_token?: string }[] = [];
  if (op === "token" || op === "exchange") {
    const returned = new Set<string>();
    for (const [i, a] of answers.entries()) {
      const body = bodies[i];
      if (a.res.status !== 200 || !isPlainObject(body) || typeof body.access_token !== "string") continue;
      const answer = body as { access_token: string; refresh_token?: string; token_type?: unknown };
      issued.push(answer);
      for (const t of [answer.access_token, answer.refresh_token]) {
        if (t === undefined) continue;
        if (keeper.known.has(t) || before.tokens.has(hash(t))) problems.push("a token was issued that existed before");
        returned.add(hash(t));
      }
      const access = after.tokens.get(hash(answer.access_token));
      if (!access) {
        if (s.c.copies === 1) problems.push("the access token answered is not stored");
        continue;
      }
      if (access.kind !== "access") problems.push(`the access token answered is stored as ${access.kind}`);
      if (!carriedClients.has(access.clientId)) problems.push(`a token was issued to a client the request did not name: ${name(access)}`);
      const app = await rt.store.oauthApps.byClientId(access.clientId);
      if (answer.token_type !== app?.tokenType) problems.push(`token_type ${JSON.stringify(answer.token_type)}, the app's setting is ${app?.tokenType}`);
      if (op === "exchange" && access.grant !== "jwt_bearer") problems.push(`/jwt/exchange issued a ${name(access)}`);
      if (op === "token") {
        if (access.grant === "jwt_bearer") problems.push(`/token issued a ${name(access)}`);
        const wantsRefresh = access.grant === "authorization_code" || app?.refreshRotation === true;
        if (wantsRefresh !== (answer.refresh_token !== undefined)) problems.push(`a ${access.grant} grant of an app with rotation ${app?.refreshRotation} answered ${answer.refresh_token === undefined ? "no" : "a"} refresh_token`);
        const refresh = answer.refresh_token === undefined ? undefined : after.tokens.get(hash(answer.refresh_token));
        if (refresh && (refresh.kind !== "refresh" || refresh.clientId !== access.clientId || refresh.familyId !== access.familyId)) problems.push(`the refresh token answered is a ${name(refresh)}`);
      }
    }
    for (const t of added) if (!returned.has(t.hash)) problems.push(`a ${name(t)} was stored that no answer handed out`);
    if (s.c.copies === 1 && added.length !== returned.size) problems.push(`${returned.size} tokens answered, ${added.length} stored`);
    if (after.issued - before.issued !== issued.length) problems.push(`${issued.length} token answers, ${after.issued - before.issued} oauth_token.issue events`);
    // A grant rotates or touches only the refresh token it presented, and redeems only the code it presented.
    for (const [, t] of changed) if (!carriedHashes.has(t.hash)) problems.push(`a ${name(t)} the request did not present changed`);
    for (const t of removed) if (!expired(t) && !(t.familyId !== null && carriedFamilies.has(t.familyId))) problems.push(`a ${name(t)} was deleted`);
    for (const [h, row] of after.codes) {
      const was = before.codes.get(h);
      if (was && was.text !== row.text && !carriedHashes.has(h)) problems.push(`a code the request did not present changed: ${row.text}`);
      if (!was) problems.push(`a code was created: ${row.text}`);
    }
    if (after.jtis - before.jtis > issued.length) problems.push("more JWT jti values were claimed than tokens issued");
    return issued;
  }

  // /revoke, /introspect and the metadata issue nothing, redeem nothing and touch no app, secret or key.
  if (after.issued !== before.issued || added.length > 0) problems.push(`a 200 from ${op} issued a token`);
  for (const d of codes) problems.push(`a 200 from ${op} changed the codes: ${d}`);
  if (after.lastUsed !== before.lastUsed) problems.push(`a 200 from ${op} touched an app, secret or key`);
  for (const [, t] of changed) problems.push(`a 200 from ${op} changed a ${name(t)}`);
  if (op === "revoke") {
    // Only the authenticated client's token it named goes (a refresh token with its family).
    const live = removed.filter((t) => !expired(t));
    const owners = new Set(live.map((t) => t.clientId));
    if (owners.size > 1) problems.push(`one revocation deleted tokens of ${owners.size} clients`);
    for (const t of live) {
      const named = carriedHashes.has(t.hash) || (t.familyId !== null && [...carriedHashes].some((h) => before.tokens.get(h)?.kind === "refresh" && before.tokens.get(h)?.familyId === t.familyId));
      if (!named) problems.push(`a revocation deleted a ${name(t)} it did not name`);
    }
    const revokedAccess = live.find((t) => t.kind === "access" && carriedHashes.has(t.hash));
    if (revokedAccess && problems.length === 0) {
      s.stats.revokedChecked++;
      const token = [...carried].find((v) => hash(v) === revokedAccess.hash)!;
      const r = await api("/proj/search", { headers: { authorization: `Bearer ${token}` } });
      if (r.status !== 401) problems.push(`a revoked access token still works on the REST API: ${r.status}`);
    }
  } else {
    for (const t of removed) if (!expired(t)) problems.push(`a 200 from ${op} deleted a ${name(t)}`);
  }
  if (op === "introspect") {
    for (const [i, a] of answers.entries()) {
      const body = bodies[i];
      if (a.res.status !== 200 || !isPlainObject(body) || body.active !== true) continue;
      const mine = [...carriedHashes].map((h) => before.tokens.get(h)).filter((t): t is TokenRow => t !== undefined && t.clientId === body.client_id && `${t.kind}_token` === body.token_type);
      if (mine.length === 0) problems.push(`an active introspection of a token the request did not present for client ${JSON.stringify(body.client_id)}`);
      // Active means live: an access token before its expiry, a refresh token not yet rotated (the seeded apps allow no reuse).
      const live = mine.filter((t) => !expired(t) && t.rotatedAt === null);
      if (mine.length > 0 && live.length === 0) problems.push(`an expired or rotated ${name(mine[0]!)} is introspected as active`);
      const t = live[0];
      if (t && body.exp !== (t.expiresAt === null ? undefined : Math.floor(t.expiresAt / 1000))) problems.push(`introspection exp ${JSON.stringify(body.exp)} for a token expiring at ${t.expiresAt}`);
      if (t && body.iat !== Math.floor(t.createdAt / 1000)) problems.push(`introspection iat ${JSON.stringify(body.iat)} for a token made at ${t.createdAt}`);
      if (typeof body.client_id !== "string" || !s.requestText.includes(body.client_id)) problems.push("an introspection showed another client's token");
    }
  }
  return [];
}
