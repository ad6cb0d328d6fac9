/** OAuth request parameters: exact names, each at most once (RFC 6749 3.1, 3.2). */
import { singleValue, type Params } from "../http/params";
import { InvalidOAuthRequest } from "./errors";

export function singleParam(params: Params, name: string, required: true): string;
export function singleParam(params: Params, name: string, required: false): string | undefined;
export function singleParam(params: Params, name: string, required: boolean): string | undefined {
  return singleValue(params, name, required, (message) => new InvalidOAuthRequest(message));
}
