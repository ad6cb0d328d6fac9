/**
 * JSON responses for the API surfaces. What was serialized is remembered beside the Response, so the
 * Node entry can write it without draining the Response's stream or walking its Headers (both
 * measurable per request). Such responses are final once made: nothing changes their headers.
 */
export interface KnownResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const known = new WeakMap<Response, KnownResponse>();

export function jsonResponse(body: unknown, status: number, headers: Record<string, string>): Response {
  const text = JSON.stringify(body);
  const res = new Response(text, { status, headers });
  known.set(res, { status, headers, text });
  return res;
}

/** The parts of a response made by jsonResponse, if its body was not read yet. */
export function knownResponse(res: Response): KnownResponse | undefined {
  return res.bodyUsed ? undefined : known.get(res);
}
