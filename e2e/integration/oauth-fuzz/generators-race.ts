/**
 * Two different calls sent at the same moment, mostly on one sign-in: a refresh while the refresh
 * token is revoked or its code replayed, two refreshes or two redemptions of the same grant by
 * different routes, an introspection while revoking, and random pairs of realistic calls.
 */
import fc from "fast-check";
import type { Param } from "../fuzz/case";
import { clientIp, elapsedMs } from "../fuzz/generators-delivery";
import { deliver, delivery, realisticCall, type Call, type Delivery, type OAuthCase } from "./generators-realistic";
import { FORM_TYPES, JSON_TYPES } from "./vocabulary";

const p = (name: string, value: string): Param => ({ name, value });
const SPA = [p("client_id", "{{spa.id}}")];
const WEB_POST = [p("client_id", "{{web.id}}"), p("client_secret", "{{web.secret}}")];

const call = (endpoint: Call["endpoint"], params: Param[], authorization: string | null = null): Call => ({ endpoint, params, authorization });
const refresh = (token: string, auth: Param[], authorization: string | null = null) => call("token", [p("grant_type", "refresh_token"), p("refresh_token", token), ...auth], authorization);
const revoke = (token: string, auth: Param[], authorization: string | null = null) => call("revoke", [p("token", token), ...auth], authorization);

const RACES: [Call, Call][] = [
  [refresh("{{token.spa.refresh}}", SPA), revoke("{{token.spa.refresh}}", SPA)],
  [refresh("{{token.web.refresh}}", WEB_POST), revoke("{{token.web.refresh}}", [], "Basic {{basic.web}}")],
  [
    refresh("{{token.spa.replayable}}", SPA),
    call("token", [p("grant_type", "authorization_code"), p("code", "{{code.spa.redeemed}}"), p("redirect_uri", "{{redirect}}"), p("code_verifier", "{{verifier.spa.redeemed}}"), ...SPA]),
  ],
  [refresh("{{token.web.refresh}}", WEB_POST), refresh("{{token.web.refresh}}", [], "Basic {{basic.web}}")],
  [refresh("{{token.spa.refresh}}", SPA), revoke("{{token.spa.access}}", SPA)],
  [
    call("token", [p("grant_type", "authorization_code"), p("code", "{{code.web}}"), p("redirect_uri", "{{redirect}}"), ...WEB_POST]),
    call("token", [p("grant_type", "authorization_code"), p("code", "{{code.web}}"), p("redirect_uri", "{{redirect}}")], "Basic {{basic.web.pct}}"),
  ],
  [call("introspect", [p("token", "{{token.web.refresh}}"), ...WEB_POST]), revoke("{{token.web.refresh}}", WEB_POST)],
  [
    call("exchange", [p("client_id", "{{m2m.id}}"), p("client_secret", "{{m2m.secret}}"), p("jwt_token", "{{jwt.generated}}")]),
    call("exchange", [p("client_id", "{{m2m.id}}"), p("client_secret", "{{m2m.secret2}}"), p("jwt_token", "{{jwt.generated}}")]),
  ],
  [refresh("{{token.spa.refresh}}", SPA), refresh("{{token.spa.refresh}}", SPA)],
];

/** Delivered as clients send it: POST, form, JSON or multipart with their content types. */
const plainDelivery: fc.Arbitrary<Delivery> = fc.record({
  encoding: fc.constantFrom<Delivery["encoding"]>("form", "form", "form", "json", "multipart"),
  formType: fc.constantFrom(...FORM_TYPES.filter((t) => !t.includes("utf-16"))),
  jsonType: fc.constantFrom(...JSON_TYPES),
  multipartType: fc.constant(null),
  method: fc.constant("POST"),
  trailingSlash: fc.boolean(),
  mutations: fc.constant([]),
  headers: fc.constant([]),
});
const someDelivery = fc.oneof({ weight: 4, arbitrary: plainDelivery }, { weight: 1, arbitrary: delivery });

const pair: fc.Arbitrary<[Call, Call]> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...RACES).chain(([a, b]) => fc.constantFrom<[Call, Call]>([a, b], [b, a])) },
  { weight: 1, arbitrary: fc.tuple(realisticCall, realisticCall) },
);

export const raceCase: fc.Arbitrary<OAuthCase> = fc
  .record({ calls: pair, da: someDelivery, db: someDelivery, ipa: clientIp, ipb: clientIp, ms: elapsedMs })
  .map(({ calls: [a, b], da, db, ipa, ipb, ms }) => ({ request: deliver(a, da, ipa, 1, ms), mustSucceed: null, also: deliver(b, db, ipb, 1, 0) }));
