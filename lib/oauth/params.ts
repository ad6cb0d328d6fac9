/** OAuth request parameters: exact names, each at most once (RFC 6749 3.1, 3.2). */
import type { Params } from "../http/params";
import { InvalidOAuthRequest } from "./errors";

export function singleParam(params: Params, name: string, required: true): string;
export function singleParam(params: Params, name: string, required: false): string | undefined;
export function singleParam(params: Params, name: string, required: boolean): string | undefined {
  const values = params.all(name);
  if (values.length > 1) throw new InvalidOAuthRequest(`The ${name} parameter was sent more than once.`);
  const v = values[0];
  if (v === undefined || v === "") {
    if (required) throw new InvalidOAuthRequest(`The ${name} parameter is required.`);
    return undefined;
  }
  return v;
}
