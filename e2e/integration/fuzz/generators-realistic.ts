/** Realistic requests, so the deep code paths run: a real route with fitting parameters, mostly a working credential, now and then some junk. */
import fc from "fast-check";
import type { BodySpec, FuzzCase, Param } from "./case";
import { certificateValue } from "./generators-certificates";
import { asAdmin, asUser, clientIp, copies, credential, elapsedMs, header, withUserKey } from "./generators-delivery";
import { paramGroup } from "./generators-params";
import { place, placement, projectValues, realisticSearchParams, userValues, type ObjectKind } from "./generators-realistic-params";
import { ACTION_NAMES, fieldListValue, idRef, INHERITED, passwordValue, usernameValue } from "./generators-values";
import { projectRefs, scratchUserIdRefs } from "./placeholders";

const goodCredential: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 4, arbitrary: asAdmin },
  { weight: 4, arbitrary: asUser },
  { weight: 3, arbitrary: withUserKey },
  { weight: 1, arbitrary: fc.constant<[string, string][]>([["cookie", "sessionID={{user.session}}"], ["x-requested-with", "XMLHttpRequest"]]) },
  { weight: 1, arbitrary: credential },
);

/** username and password, and the apiCertificate X.509 certificate login asks for when given. */
const loginParams = ([username, password, certificate]: [string, string, string | undefined]): Param[] => [
  { name: "username", value: username },
  { name: "password", value: password },
  ...(certificate === undefined ? [] : [{ name: "apiCertificate", value: certificate }]),
];

interface Route {
  method: string;
  segments: string[];
  query?: Param[];
  body?: BodySpec;
  credential?: [string, string][];
}
const objectKind = fc.constantFrom<ObjectKind>("proj", "user");
const codeFor = (kind: ObjectKind) => fc.constantFrom(...(kind === "proj" ? ["proj", "PROJ", "project"] : ["user", "USER"]));
const route: fc.Arbitrary<Route> = fc.oneof(
  {
    weight: 6,
    arbitrary: objectKind.chain((kind) =>
      fc.record({ method: fc.constantFrom("GET", "GET", "HEAD"), code: codeFor(kind), op: fc.constantFrom("search", "search", "count"), query: realisticSearchParams(kind) }).map(
        ({ method, code, op, query }): Route => ({ method, segments: [code, op], query }),
      ),
    ),
  },
  { weight: 1, arbitrary: objectKind.chain((kind) => codeFor(kind)).map((code): Route => ({ method: "GET", segments: [code, "metadata"] })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ code: fc.constantFrom("proj", "user"), id: idRef, fields: fc.option(fieldListValue, { nil: undefined }), many: fc.boolean(), other: idRef })
      .map(({ code, id, fields, many, other }): Route => {
        const f = fields === undefined ? [] : [{ name: "fields", value: fields }];
        return many ? { method: "GET", segments: [code], query: [{ name: "id", value: `${id},${other}` }, ...f] } : { method: "GET", segments: [code, id], query: f };
      }),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ values: projectValues, where: placement, override: fc.boolean() })
      .map(({ values, where, override }): Route => {
        const placed = place(values, override ? "query" : where);
        return override ? { method: "GET", segments: ["proj"], query: [{ name: "method", value: "POST" }, ...placed.query] } : { method: "POST", segments: ["proj"], ...placed };
      }),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ id: idRef, values: projectValues.chain((ps) => fc.subarray(ps)), where: placement, fields: fc.option(fc.constantFrom("*", "status,priority"), { nil: undefined }) })
      .map(({ id, values, where, fields }): Route => {
        const placed = place(values, where);
        return { method: "PUT", segments: ["proj", id], query: [...placed.query, ...(fields ? [{ name: "fields", value: fields }] : [])], body: placed.body };
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...projectRefs.scratch) }, { weight: 1, arbitrary: idRef }), override: fc.boolean() })
      .map(({ id, override }): Route => (override ? { method: "POST", segments: ["proj", id], query: [{ name: "method", value: "DELETE" }] } : { method: "DELETE", segments: ["proj", id] })),
  },
  {
    weight: 2,
    arbitrary: fc.record({ values: userValues(true), where: placement }).map(({ values, where }): Route => ({ method: "POST", segments: ["user"], ...place(values, where) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...scratchUserIdRefs) }, { weight: 1, arbitrary: idRef }), values: userValues(false), where: placement })
      .map(({ id, values, where }): Route => ({ method: "PUT", segments: ["user", id], ...place(values, where) })),
  },
  {
    // Key actions, by path or action=, authenticated by username + password or by the credential.
    weight: 4,
    arbitrary: fc
      .record({
        action: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ACTION_NAMES) }, { weight: 2, arbitrary: fc.constantFrom(...INHERITED) }),
        style: fc.constantFrom("param", "path", "idPath", "idParam"),
        id: fc.constantFrom("{{user.id}}", "{{admin.id}}", ...scratchUserIdRefs),
        login: fc.option(fc.tuple(usernameValue, passwordValue, fc.option(certificateValue, { nil: undefined })), { nil: undefined, freq: 2 }),
        where: placement,
        method: fc.constantFrom("PUT", "PUT", "POST", "GET"),
      })
      .map(({ action, style, id, login, where, method }): Route => {
        const segments = style === "path" ? ["user", action] : style === "idPath" ? ["user", id, action] : style === "idParam" ? ["user", id] : ["user"];
        const values = [
          ...(style === "param" || style === "idParam" ? [{ name: "action", value: action }] : []),
          ...(login ? loginParams(login) : []),
        ];
        const placed = place(values, method === "GET" ? "query" : where);
        return { method, segments, ...placed, ...(login ? { credential: [] } : {}) };
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        login: fc.tuple(usernameValue, passwordValue, fc.option(certificateValue, { nil: undefined })),
        where: placement,
        method: fc.constantFrom("POST", "GET", "PUT"),
      })
      .map(({ login, where, method }): Route => ({
        method,
        segments: ["login"],
        credential: [],
        ...place(loginParams(login), method === "GET" ? "query" : where),
      })),
  },
  {
    // Logging out ends one of the seeded sessions now and then; the repair step signs in again.
    weight: 1,
    arbitrary: fc.constantFrom<[string, string][]>([["sessionID", "{{session.loggedOut}}"]], [["sessionID", "{{user.session}}"]], [["cookie", "sessionID={{session.expired}}"]], []).map(
      (c): Route => ({ method: "GET", segments: ["logout"], credential: c }),
    ),
  },
);
/** One time in five. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
export const realisticCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    route,
    prefix: fc.oneof({ weight: 8, arbitrary: fc.constant("/attask/api/v20.0") }, { weight: 1, arbitrary: fc.constantFrom("/attask/api/v2.0", "/attask/api-internal", "/attask/api") }),
    credential: goodCredential,
    junkParam: rarely(paramGroup),
    junkHeader: rarely(header),
    ip: clientIp,
    copies,
    elapsedMs,
  })
  .map(({ route: r, prefix, credential: cred, junkParam, junkHeader, ip, copies: n, elapsedMs: ms }) => ({
    method: r.method,
    prefix,
    segments: r.segments.map((text) => ({ text })),
    trailingSlash: false,
    query: [...(r.query ?? []), ...(junkParam ?? [])],
    queryStyle: "encoded" as const,
    body: r.body ?? { kind: "none" },
    credential: r.credential ?? cred,
    headers: junkHeader ? [junkHeader] : [],
    ip,
    copies: n,
    elapsedMs: ms,
  }));
