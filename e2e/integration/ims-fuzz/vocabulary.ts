/** The words of the IMS generators: paths, parameter names, the placeholders of the world, and value arbitraries. */
import fc from "fast-check";
import { INHERITED_NAMES } from "../../../lib/testing/inherited-names";
import { jsonFragment, junkText, longText, numberText } from "../fuzz/generators-values";
import { repeated } from "../fuzz/placeholders";
import { CRED_NAMES, READ, WRITE, type CredName } from "./world";

export const IMS_PREFIX = "/ims";
export const INHERITED: readonly string[] = INHERITED_NAMES;

/** What the seeded credentials are granted (the generators pick scopes from it; the model reads the world). */
export const GRANTED: Record<Exclude<CredName, "victim">, string[]> = {
  jwt: [WRITE, READ],
  migrated: [WRITE],
  refreshed: [WRITE],
  readonly: [READ],
  revoked: [WRITE],
  s2s: [WRITE, READ],
  unjwt: [WRITE],
};
/** The RSA key each credential's bundle gave (the refreshed one has two; the S2S one none). */
export const OWN_KEYS: Record<Exclude<CredName, "victim">, string[]> = {
  jwt: ["jwt"],
  migrated: ["migrated"],
  refreshed: ["refreshed.old", "refreshed.new"],
  readonly: ["readonly"],
  revoked: ["revoked"],
  s2s: [],
  unjwt: ["unjwt"],
};
export const SEEDED: readonly Exclude<CredName, "victim">[] = CRED_NAMES;

/** Metascopes no credential is granted, and near misses of the granted ones. */
export const UNGRANTED_SCOPES = ["ent_analytics_bulk_ingest_sdk", "ent_keyward_admin", "ent_keyward_api_", "ENT_KEYWARD_API", "ent_keyward", "openid", "AdobeID", "ent_user_sdk"];
/** Credentials pasted into the wrong field: a secret, a private key line, an assertion. */
export const MISPLACED = ["{{jwt.secret}}", "{{s2s.secret}}", "{{migrated.secret}}", "{{assertion.used}}"];

export const FORM_TYPES = [
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=UTF-8",
  "application/x-www-form-urlencoded;charset=ISO-8859-1",
  "APPLICATION/X-WWW-FORM-URLENCODED",
];
export const JSON_TYPES = ["application/json", "application/json; charset=utf-8", "text/json"];
export const WRONG_TYPES = [
  "text/plain",
  "application/xml",
  "application/octet-stream",
  "multipart/form-data",
  "multipart/form-data; boundary=----fuzz",
  "multipart/form-data; boundary=",
  "multipart/mixed; boundary=x",
  "",
  ";;;",
  "application/x-www-form-urlencoded, application/json",
  "application/x-www-form-urlencoded; charset=utf-16",
];

export const PARAM_NAMES = [
  "client_id",
  "client_secret",
  "jwt_token",
  "grant_type",
  "scope",
  "Client_ID",
  "CLIENT_SECRET",
  "jwt_token[]",
  "client_id ",
  " jwt_token",
  "jwt",
  "assertion",
  "code",
  "grantType",
  "scopes",
  "sessionID",
];

export const ref = (name: string) => `{{${name}}}`;
export const typoOf = (placeholder: string) => placeholder.replace("{{", "{{typo.");

export const CLIENT_IDS = SEEDED.map((c) => ref(`${c}.id`));
export const SECRETS = SEEDED.map((c) => ref(`${c}.secret`));
export const SUBS = SEEDED.map((c) => ref(`${c}.sub`));
/** Every world placeholder, for values drawn at random. */
export const ANY_REF = [
  ...CLIENT_IDS,
  ...SECRETS,
  ...SUBS,
  "{{org}}",
  "{{ims}}",
  "{{assertion.0}}",
  "{{assertion.0}}",
  "{{assertion.1}}",
  "{{assertion.used}}",
  "{{token.recent}}",
  "{{token.dead}}",
  "{{jwt.certificate}}",
  "{{key.foreign.private}}",
  "{{key.jwt.private}}",
];

/** A value past any field's limit, written as a repetition so a counterexample stays short. */
export const hugeValue = fc
  .tuple(fc.integer({ min: 2_000, max: 120_000 }), fc.constantFrom("a", "%", "é", "😀", "%zz", "+", "=", "&", "A.", "\u0000", "/s/"))
  .map(([n, chunk]) => repeated([Math.ceil(n / chunk.length), chunk]));
export const badEscape = fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%AF", "%ED%A0%80", "%FF%FE", "%00", "%%41", "%u0041", "%2", "%F0%9F%98");
/** Unicode that trips naive handling: lone surrogates, bidi controls, BOM, combining marks, wide characters. */
export const unicodeText = fc.oneof(
  fc.constantFrom("\ud800", "a\udfffb", "\u202eipa_drawyek_tne", "\ufeffent_keyward_api", "ent_keyward_api\u0301", "ｅｎｔ_keyward_api", "ent‐keyward‐api", "ent_keyward_api\u0000", "🔑", "İ", "ß"),
  fc.string({ unit: "grapheme", maxLength: 12 }),
);

export const junkValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: junkText },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 2, arbitrary: numberText },
  { weight: 1, arbitrary: jsonFragment },
  { weight: 2, arbitrary: badEscape },
  { weight: 2, arbitrary: unicodeText },
  { weight: 1, arbitrary: longText },
  { weight: 1, arbitrary: fc.constantFrom("a.b.c", "..", ".", "eyJhbGciOiJub25lIn0.e30.", "Bearer {{token.recent}}", "null", "true", "client_credentials") },
);

/** Any value: mostly world values (or one character off), else junk, rarely huge. */
export const anyValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...ANY_REF) },
  { weight: 2, arbitrary: fc.constantFrom(...ANY_REF).map(typoOf) },
  { weight: 1, arbitrary: fc.constantFrom("client_credentials", WRITE, READ, `${WRITE},${READ}`, ...UNGRANTED_SCOPES) },
  { weight: 5, arbitrary: junkValue },
  { weight: 1, arbitrary: hugeValue },
);

export const anyName: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...PARAM_NAMES) },
  { weight: 3, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ unit: "grapheme-ascii", maxLength: 12 }), fc.string({ unit: "binary", maxLength: 8 })) },
  { weight: 1, arbitrary: badEscape },
);

/** Latin-1 text without control characters, as header values must be. */
export const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

/** Headers a client or proxy adds: lengths, addresses, credentials of other kinds (which the IMS endpoints do not read), junk. */
export const junkHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant("content-length"), fc.constantFrom("0", "1", "2000000", "-1", "abc", "1e9")),
  fc.tuple(fc.constantFrom("user-agent", "x-forwarded-for", "x-keyward-client-ip", "accept", "origin", "referer"), fc.oneof(headerText, fc.constant("x".repeat(5000)))),
  fc.tuple(fc.constant("authorization"), fc.constantFrom("Bearer {{token.recent}}", "Basic {{jwt.secret}}", "Bearer x.y.z")),
  fc.tuple(fc.constantFrom("x-ims-clientid", "x-api-key", "x-gw-ims-org-id"), fc.constantFrom("{{jwt.id}}", "{{org}}", "junk")),
  fc.tuple(fc.constantFrom("accept-charset", "content-encoding", "x-http-method-override"), fc.constantFrom("gzip", "utf-16", "PUT", "GET", "identity")),
);

/** Base URLs for aud and metascope claims: the bundle's, the vendor's, any. */
export const baseUrl: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.constant("{{ims}}") },
  { weight: 2, arbitrary: fc.constantFrom("https://ims-na1.adobelogin.com", "http://localhost:3000/ims", "https://localhost:3000/", "", "https://example.com/c/x", "urn:ims", "https://ümlaut.example") },
  { weight: 2, arbitrary: fc.webUrl({ withQueryParameters: false, withFragments: false }) },
);
