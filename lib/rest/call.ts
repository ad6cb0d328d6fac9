import type { ApiRequest, ConnectionInfo } from "../http/request";
import type { Runtime } from "../runtime";
import type { ServiceContext } from "../services/context";
import type { Params } from "../http/params";

export type RestMethod = "GET" | "POST" | "PUT" | "DELETE";

/** One REST API request, parsed once and handed to the operation that serves it. */
export interface RestCall {
  rt: Runtime;
  req: ApiRequest;
  url: URL;
  params: Params;
  method: RestMethod;
  /** Path segments after the API prefix, e.g. ["proj", "search"]. */
  segments: string[];
  info?: ConnectionInfo;
  /** Filled in by the guard for authenticated operations. */
  ctx: ServiceContext;
}
