/**
 * JSON responses for the API surfaces. The serialized body is remembered beside the Response so the
 * Node entry can write it without draining the Response's stream (a measurable cost per request).
 */
const bodies = new WeakMap<Response, string>();

export function jsonResponse(body: unknown, status: number, headers: Record<string, string>): Response {
  const text = JSON.stringify(body);
  const res = new Response(text, { status, headers });
  bodies.set(res, text);
  return res;
}

/** The body text of a response made by jsonResponse, if it was not read yet. */
export function knownBody(res: Response): string | undefined {
  return res.bodyUsed ? undefined : bodies.get(res);
}
