/** The words of the OAuth generators: endpoints, parameter names, placeholder lists and value arbitraries. */
import fc from "fast-check";
import { jsonFragment, junkText, longText, numberText } from "../fuzz/generators-values";
import { repeated } from "../fuzz/placeholders";
import { INHERITED_NAMES } from "../../../lib/testing/inherited-names";
import { BAD_JWTS, BASIC_APPS, BASIC_VARIANTS, VALID_JWTS } from "./refs";

export const OAUTH_PREFIX = "/integrations/oauth2/api/v1";
export const METADATA_NAMES = ["oauth-authorization-server", "openid-configuration"] as const;
export const INHERITED: readonly string[] = INHERITED_NAMES;

export const FORM_TYPES = [
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=UTF-8",
  "application/x-www-form-urlencoded;charset=ISO-8859-1",
  "application/x-www-form-urlencoded; charset=utf-16",
  "APPLICATION/X-WWW-FORM-URLENCODED",
];
export const JSON_TYPES = ["application/json", "application/json; charset=utf-8", "text/json", "application/vnd.api+json", "application/json;charset=latin1"];

export const ref = (name: string) => `{{${name}}}`;

export const CLIENT_IDS = ["{{web.id}}", "{{spa.id}}", "{{m2m.id}}"];
export const SECRETS = ["{{web.secret}}", "{{m2m.secret}}", "{{m2m.secret2}}"];
export const TOKENS = [
  "{{token.web.access}}",
  "{{token.web.refresh}}",
  "{{token.web.rotated}}",
  "{{token.spa.access}}",
  "{{token.spa.refresh}}",
  "{{token.m2m.access}}",
  "{{token.spa.replayable}}",
  "{{token.web.first}}",
  "{{token.recent.access}}",
  "{{token.recent.refresh}}",
];
export const CODES = ["{{code.web}}", "{{code.web.pkce}}", "{{code.spa}}", "{{code.web.redeemed}}", "{{code.spa.redeemed}}", "{{code.web.first}}"];
export const VERIFIERS = ["{{verifier.web.pkce}}", "{{verifier.spa}}", "{{verifier.spa.redeemed}}"];
export const GOOD_JWTS = VALID_JWTS.map(ref);
export const WRONG_JWTS = [...BAD_JWTS.map(ref), "{{typo.jwt.generated}}", "{{typo.jwt.certificate}}"];
export const REDIRECTS = ["{{redirect}}", "{{redirect.other}}", "https://app.example.com/callback/", "https://APP.example.com/callback", "https://evil.example/callback", ""];
export const GRANT_TYPES = ["authorization_code", "refresh_token"];
export const ODD_GRANT_TYPES = [
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "password",
  "implicit",
  "AUTHORIZATION_CODE",
  "authorization_code ",
  "Refresh_Token",
  "",
  "authorization_code,refresh_token",
];
export const PARAM_NAMES = [
  "grant_type",
  "code",
  "redirect_uri",
  "code_verifier",
  "client_id",
  "client_secret",
  "refresh_token",
  "token",
  "token_type_hint",
  "jwt_token",
  "scope",
  "state",
  "assertion",
  "client_assertion",
  "client_assertion_type",
  "response_type",
  "sessionID",
  "Client_ID",
  "CLIENT_SECRET",
  "grant_type[]",
  "client_id ",
];

/** Every credential placeholder, for values drawn at random. */
export const ANY_REF = [
  ...CLIENT_IDS,
  ...SECRETS,
  ...TOKENS,
  ...CODES,
  ...VERIFIERS,
  ...GOOD_JWTS,
  ...WRONG_JWTS,
  "{{redirect}}",
  "{{key.generated.private}}",
  "{{key.generated.id}}",
  "{{admin.id}}",
  ...BASIC_APPS.map((a) => `{{basic.${a}}}`),
];
export const typoOf = (placeholder: string) => placeholder.replace("{{", "{{typo.");

/** A value past any field's limit: 10,000 to 100,000 repetitions of a chunk, some of them not UTF-8 when decoded. */
export const hugeValue = fc
  .tuple(fc.integer({ min: 10_000, max: 100_000 }), fc.constantFrom("a", "%", "é", "😀", "%zz", "%C3", "+", "=", "&", "A.", "\\u0000"))
  .map(([n, chunk]) => repeated([Math.ceil(n / chunk.length), chunk]));
/** Invalid escapes and non-UTF-8 sequences once percent-decoded. */
export const badEscape = fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%AF", "%ED%A0%80", "%FF%FE", "%00", "%%41", "%u0041", "%2", "%F0%9F%98");

export const junkValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: junkText },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 2, arbitrary: numberText },
  { weight: 1, arbitrary: jsonFragment },
  { weight: 2, arbitrary: badEscape },
  { weight: 1, arbitrary: longText },
);

/** Any value: mostly real credentials (or one character off), else junk, rarely huge. */
export const anyValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...ANY_REF) },
  { weight: 2, arbitrary: fc.constantFrom(...ANY_REF).map(typoOf) },
  { weight: 2, arbitrary: fc.constantFrom(...GRANT_TYPES, ...ODD_GRANT_TYPES, ...REDIRECTS) },
  { weight: 5, arbitrary: junkValue },
  { weight: 1, arbitrary: hugeValue },
);

export const anyName: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...PARAM_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ unit: "grapheme-ascii", maxLength: 12 }), fc.string({ unit: "binary", maxLength: 8 })) },
  { weight: 1, arbitrary: badEscape },
);

/** Authorization header values: Basic for each client in good and odd encodings, other schemes, junk. */
export const basicFor = (app: (typeof BASIC_APPS)[number]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(`Basic {{basic.${app}}}`) },
    { weight: 2, arbitrary: fc.constantFrom("basic ", "BASIC ", "Basic  ", "bAsIc ").map((s) => `${s}{{basic.${app}}}`) },
    { weight: 4, arbitrary: fc.constantFrom(...BASIC_VARIANTS).map((v) => `Basic {{basic.${app}.${v}}}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `Bearer {{basic.${app}}}`,
        "Basic",
        "Basic ",
        `Basic {{basic.${app}}} extra`,
        `Basic {{basic.${app}}}, Basic {{basic.web}}`,
        `Digest {{basic.${app}}}`,
        `Basic{{basic.${app}}}`,
        "Basic =",
        "Basic Og==",
      ),
    },
  );

/** Latin-1 text without control characters, as header values must be. */
export const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

export const authorizationValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...BASIC_APPS).chain(basicFor) },
  { weight: 2, arbitrary: fc.constantFrom(...TOKENS).map((t) => `Bearer ${t}`) },
  { weight: 1, arbitrary: headerText.map((t) => `Basic ${t}`) },
  { weight: 1, arbitrary: headerText },
);

/** Other headers a client or proxy sends: content type and length, addresses, cookies, junk. */
export const junkHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant("content-length"), fc.constantFrom("0", "1", "2000000", "-1", "abc", "1e9")),
  fc.tuple(fc.constantFrom("user-agent", "x-forwarded-for", "x-keyward-client-ip", "accept", "origin", "referer", "x-requested-with"), fc.oneof(headerText, fc.constant("x".repeat(5000)))),
  fc.tuple(fc.constantFrom("cookie", "sessionID", "apiKey"), fc.oneof(fc.constantFrom("{{token.web.access}}", "sessionID={{token.spa.access}}", "next-auth.session-token=x"), headerText)),
  fc.tuple(fc.constantFrom("accept-charset", "content-encoding", "transfer-encoding-x", "x-http-method-override"), fc.constantFrom("gzip", "utf-16", "PUT", "GET", "identity", "*")),
  fc.tuple(fc.constantFrom(...INHERITED).map((n) => `x-${n.replace(/_/g, "")}`), headerText),
);
