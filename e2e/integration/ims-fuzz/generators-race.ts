/**
 * Calls at the same moment: the same assertion exchanged twice or more (exactly one success when it
 * has a jti, every one without), in different encodings and from different addresses; and a
 * credential revoked in the Developer Console while its exchanges (or client-credentials grants)
 * and a REST call with its earlier token are in flight.
 */
import fc from "fast-check";
import type { Param } from "../fuzz/case";
import { clientIp, elapsedMs } from "../fuzz/generators-delivery";
import type { ImsCase } from "./case";
import { deliver, plainDelivery, probe, type Call } from "./generators-realistic";
import { standardAssertion, WRITE, READ } from "./world";

const p = (name: string, value: string): Param => ({ name, value });
const exchangeOf = (cred: string): Call => ({ op: "exchange", params: [p("client_id", `{{${cred}.id}}`), p("client_secret", `{{${cred}.secret}}`), p("jwt_token", "{{assertion.0}}")] });
const grantOf = (cred: string): Call => ({ op: "token", params: [p("grant_type", "client_credentials"), p("client_id", `{{${cred}.id}}`), p("client_secret", `{{${cred}.secret}}`)] });

const RACERS = [
  { cred: "jwt", key: "jwt", scopes: [WRITE, READ] },
  { cred: "migrated", key: "migrated", scopes: [WRITE] },
  { cred: "refreshed", key: "refreshed.old", scopes: [WRITE] },
  { cred: "refreshed", key: "refreshed.new", scopes: [WRITE] },
  { cred: "readonly", key: "readonly", scopes: [READ] },
] as const;

/** One assertion, two to four exchanges of it at once. */
export const jtiRace: fc.Arbitrary<ImsCase> = fc
  .record({
    who: fc.constantFrom(...RACERS),
    jti: fc.oneof({ weight: 3, arbitrary: fc.constant<"fresh" | "none">("fresh") }, { weight: 1, arbitrary: fc.constant<"fresh" | "none">("none") }),
    deliveries: fc.array(fc.tuple(plainDelivery, clientIp), { minLength: 2, maxLength: 4 }),
    ms: elapsedMs,
    probe,
  })
  .map(({ who, jti, deliveries, ms, probe }) => ({
    origin: "jti race" as const,
    requests: deliveries.map(([d, ip], i) => deliver(exchangeOf(who.cred), d, ip, 1, i === 0 ? ms : 0)),
    assertions: [standardAssertion(who.cred, who.key, who.scopes, jti)],
    race: null,
    probe,
  }));

/** A credential revoked while one or two of its exchanges are in flight. */
export const revokeRace: fc.Arbitrary<ImsCase> = fc
  .record({
    victim: fc.constantFrom<"jwt" | "s2s">("jwt", "s2s", "s2s"),
    jti: fc.constantFrom<"fresh" | "none">("fresh", "none"),
    deliveries: fc.array(fc.tuple(plainDelivery, clientIp), { minLength: 1, maxLength: 2 }),
    after: fc.nat({ max: 2 }),
    ticks: fc.nat({ max: 3 }),
    restOld: fc.boolean(),
    ms: elapsedMs,
    probe,
  })
  .map(({ victim, jti, deliveries, after, ticks, restOld, ms, probe }) => ({
    origin: "revoke race" as const,
    requests: deliveries.map(([d, ip], i) => deliver(victim === "jwt" ? exchangeOf("victim") : grantOf("victim"), d, ip, 1, i === 0 ? ms : 0)),
    assertions: victim === "jwt" ? [standardAssertion("victim", "victim", [WRITE], jti)] : [],
    race: { victim, after: Math.min(after, deliveries.length), ticks, restOld },
    probe,
  }));

export const raceCase: fc.Arbitrary<ImsCase> = fc.oneof({ weight: 3, arbitrary: jtiRace }, { weight: 2, arbitrary: revokeRace });
