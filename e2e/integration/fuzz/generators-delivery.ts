/** How a generated request arrives: its credential, other headers, client address, copies sent at once and the pause before it. */
import fc from "fast-check";
import { apiKeyValue, sessionValue } from "./generators-values";

/** Header values must be Latin-1 without control characters. */
const latin1Text = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

/** The working credentials, each alone. */
export const asAdmin = fc.constant<[string, string][]>([["sessionID", "{{admin.session}}"]]);
export const asUser = fc.constant<[string, string][]>([["sessionID", "{{user.session}}"]]);
export const withUserKey = fc.constant<[string, string][]>([["apiKey", "{{user.apiKey}}"]]);

export const credential: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 3, arbitrary: asAdmin },
  { weight: 3, arbitrary: asUser },
  { weight: 2, arbitrary: withUserKey },
  {
    weight: 1,
    arbitrary: fc.constantFrom<[string, string][]>(
      [["cookie", "sessionID={{user.session}}"]],
      [["cookie", "other=1; sessionID={{admin.session}}"], ["x-requested-with", "XMLHttpRequest"]],
    ),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      sessionValue.map((v): [string, string][] => [["sessionID", v]]),
      apiKeyValue.map((v): [string, string][] => [["apiKey", v]]),
      fc.constantFrom<[string, string][]>([["sessionID", "{{session.expired}}"]], [["apiKey", "{{apiKey.stale}}"]], [["sessionID", "{{user.session}}"], ["apiKey", "{{apiKey.cleared}}"]]),
    ),
  },
);
export const header: fc.Arbitrary<[string, string]> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("sessionID", "SessionID", "SESSIONID"), sessionValue) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("apiKey", "APIKEY"), apiKeyValue) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<[string, string]>(
      ["sessionID", "{{admin.session}}, {{user.session}}"],
      ["sessionID", "{{user.session}},"],
      ["apiKey", "{{user.apiKey}}, {{user.apiKey}}"],
      ["cookie", "sessionID={{user.session}}; sessionID={{admin.session}}"],
    ),
  },
  fc.tuple(
    fc.constant("authorization"),
    fc.oneof(
      fc.constantFrom("Basic {{basic.admin}}", "Basic {{basic.user}}", "Basic {{basic.wrong}}", "Bearer {{user.apiKey}}", "Bearer {{admin.session}}", "Bearer ", "Basic !!!"),
      latin1Text.map((t) => `Bearer ${t}`),
      latin1Text,
    ),
  ),
  fc.tuple(fc.constant("x-requested-with"), fc.constantFrom("XMLHttpRequest", "fetch", "")),
  fc.tuple(
    fc.constant("cookie"),
    fc.oneof(
      fc.constantFrom("sessionID={{user.session}}", "sessionID={{admin.session}}", "a=b; sessionID={{session.expired}}", "sessionID=%zz", "sessionID=", "sessionID", ";;;="),
      latin1Text,
    ),
  ),
  { weight: 1, arbitrary: fc.tuple(fc.constant("content-length"), fc.constantFrom("0", "2000000", "-1", "abc")) },
  fc.tuple(fc.constantFrom("user-agent", "x-forwarded-for", "x-keyward-client-ip", "accept", "origin", "referer"), fc.oneof(latin1Text, fc.constant("x".repeat(5000)))),
  fc.tuple(fc.constantFrom("x-api-certificate", "ssl-client-cert", "x-ssl-client-cert"), fc.oneof(latin1Text, fc.constant("-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----"))),
);

/** Most requests come from no known address (they share one); some from a few others. */
export const clientIp = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom("203.0.113.1", "203.0.113.2", "203.0.113.3", "2001:db8::1", "::ffff:203.0.113.4") },
  { weight: 1, arbitrary: fc.ipV4() },
);

/** Mostly one request; now and then identical copies sent together. */
export const copies = fc.oneof({ weight: 12, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }) });
/** Time between requests, so limit windows and lockouts run their course; now and then a long pause. */
export const elapsedMs = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: 2_500 }) }, { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 15 * 60_000 }) });
