import { InvalidRequest } from "../errors";

/** More distinct parameter names than any real call needs; beyond it a request is refused. */
export const MAX_PARAM_NAMES = 200;
/** More values (all names together) than any call sends (a REST `in` filter takes up to 1,000 per field); a body of one name repeated is refused early. */
export const MAX_PARAM_VALUES = 5000;

/**
 * Request parameters merged from the query string, an urlencoded or multipart body and a JSON body,
 * in that order. Values keep their order; lookups are exact or case-insensitive.
 */
export class Params {
  private readonly map = new Map<string, string[]>();
  /** Lower-cased name -> first name seen with that spelling, for case-insensitive lookups. */
  private readonly lower = new Map<string, string>();
  /** The parsed JSON body when there was one (object or array), for `updates`-less creates. */
  json: unknown = undefined;
  private values = 0;

  add(name: string, value: string): void {
    if (++this.values > MAX_PARAM_VALUES) throw new InvalidRequest(`Too many parameter values (at most ${MAX_PARAM_VALUES})`);
    const list = this.map.get(name);
    if (list) {
      list.push(value);
      return;
    }
    if (this.map.size >= MAX_PARAM_NAMES) throw new InvalidRequest(`Too many parameters (at most ${MAX_PARAM_NAMES} names)`);
    this.map.set(name, [value]);
    const l = name.toLowerCase();
    if (!this.lower.has(l)) this.lower.set(l, name);
  }

  all(name: string): string[] {
    return this.map.get(name) ?? [];
  }

  get(name: string): string | undefined {
    return this.map.get(name)?.[0];
  }

  /** First value of a parameter whose name matches case-insensitively. */
  getCI(name: string): string | undefined {
    const direct = this.map.get(name);
    if (direct) return direct[0];
    const spelled = this.lower.get(name.toLowerCase());
    return spelled === undefined ? undefined : this.map.get(spelled)?.[0];
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  names(): string[] {
    return [...this.map.keys()];
  }

  entries(): [string, string[]][] {
    return [...this.map.entries()];
  }
}

/**
 * Splits a raw query string. `$$LIMIT` and friends may arrive unencoded, and `+` means space as in
 * HTML forms. A malformed escape keeps the raw text instead of failing.
 */
export function addQueryString(params: Params, query: string): void {
  if (!query) return;
  for (const part of query.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    params.add(decodePart(rawName), decodePart(rawValue));
  }
}

function decodePart(s: string): string {
  const plus = s.includes("+") ? s.replace(/\+/g, " ") : s;
  if (!plus.includes("%")) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/**
 * A parameter that may be sent at most once (empty counts as absent), for the token surfaces, which
 * refuse repeats (RFC 6749 3.1); `fail` makes the surface's own error from the message.
 */
export function singleValue(params: Params, name: string, required: boolean, fail: (message: string) => Error): string | undefined {
  const values = params.all(name);
  if (values.length > 1) throw fail(`The ${name} parameter was sent more than once.`);
  const v = values[0];
  if (v === undefined || v === "") {
    if (required) throw fail(`The ${name} parameter is required.`);
    return undefined;
  }
  return v;
}
