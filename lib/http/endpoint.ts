/**
 * The one way to declare an API endpoint. A surface (vendor REST, OAuth2, IMS) brings its single
 * error renderer; `endpoint` does the shared work once: the runtime, request metadata, merged
 * parameters, and the mapping of every thrown error to that surface's envelope.
 */
import type { Runtime } from "../runtime";
import { getRuntime } from "../runtime";
import type { RequestMeta } from "../services/context";
import type { Params } from "./params";
import { readParams, requestMeta, type ApiRequest, type ConnectionInfo } from "./request";

export interface Surface {
  readonly name: string;
  /** Renders any thrown value in the surface's envelope; unexpected errors as a generic 500. */
  readonly renderError: (e: unknown) => Response;
}

export interface EndpointRequest {
  rt: Runtime;
  req: ApiRequest;
  url: URL;
  params: Params;
  meta: RequestMeta;
  info?: ConnectionInfo;
}

/** A Web-standard API handler, as the Node entry and the route files call it. */
export type ApiHandler = (req: ApiRequest, info?: ConnectionInfo) => Promise<Response>;

export interface Endpoint extends ApiHandler {
  readonly surface: Surface;
}

export function endpoint(surface: Surface, handle: (call: EndpointRequest) => Promise<Response>): Endpoint {
  const fn = async (req: ApiRequest, info?: ConnectionInfo): Promise<Response> => {
    try {
      const url = new URL(req.url);
      const params = await readParams(req, url);
      const rt = await getRuntime();
      return await handle({ rt, req, url, params, meta: requestMeta(req, rt.settings.trustProxy, info), info });
    } catch (e) {
      return surface.renderError(e);
    }
  };
  return Object.assign(fn, { surface });
}

/** Marks the Next route handler made for an endpoint, so a test can prove both doors serve it. */
export const SERVES = Symbol.for("keyward.serves");

/** The App Router handler for an endpoint (the Node entry calls the endpoint itself). */
export function routeHandler(handler: Endpoint): ((req: Request) => Promise<Response>) & { [SERVES]: Endpoint } {
  return Object.assign((req: Request) => handler(req), { [SERVES]: handler });
}
