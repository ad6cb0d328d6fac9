import { describe, expect, it } from "vitest";
import { InvalidRequest, RateLimited, ServiceBusy, Unauthorized } from "../errors";
import { oauthError, oauthJson } from "./envelope";
import { InvalidClient, InvalidGrant, UnauthorizedClient } from "./errors";

const read = async (r: Response) => ({ status: r.status, body: (await r.json()) as unknown, headers: Object.fromEntries(r.headers) });

describe("the OAuth envelope", () => {
  it("answers successes as JSON that no cache keeps", async () => {
    const r = await read(oauthJson({ access_token: "t", token_type: "Bearer", expires_in: 3600 }));
    expect(r).toEqual({
      status: 200,
      body: { access_token: "t", token_type: "Bearer", expires_in: 3600 },
      headers: expect.objectContaining({ "cache-control": "no-store", pragma: "no-cache", "content-type": "application/json; charset=utf-8" }),
    });
  });

  it("renders each OAuth error with its RFC 6749 code, status and description", async () => {
    expect((await read(oauthError(new InvalidGrant("The JWT's exp is in the past.")))).body).toEqual({ error: "invalid_grant", error_description: "The JWT's exp is in the past." });
    expect((await read(oauthError(new UnauthorizedClient("no")))).status).toBe(400);
    const basic = await read(oauthError(new InvalidClient("bad", 'Basic realm="keyward"')));
    expect(basic.status).toBe(401);
    expect(basic.headers["www-authenticate"]).toBe('Basic realm="keyward"');
    expect(basic.body).toEqual({ error: "invalid_client", error_description: "bad" });
  });

  it("maps the shared hierarchy's errors (body parsing, limits, capacity) to OAuth codes", async () => {
    expect((await read(oauthError(new InvalidRequest("Malformed JSON in request body")))).body).toEqual({ error: "invalid_request", error_description: "Malformed JSON in request body" });
    expect((await read(oauthError(new Unauthorized()))).body).toMatchObject({ error: "invalid_client" });
    const limited = await read(oauthError(new RateLimited("Too many", 12.2)));
    expect(limited).toMatchObject({ status: 429, body: { error: "temporarily_unavailable", error_description: "Too many" } });
    expect(limited.headers["retry-after"]).toBe("13");
    expect((await read(oauthError(new ServiceBusy()))).status).toBe(503);
  });

  it("never shows an unexpected error's internals", async () => {
    const r = await read(oauthError(new Error("SQLITE_CORRUPT at /var/lib/keyward")));
    expect(r).toMatchObject({ status: 500, body: { error: "server_error", error_description: "An unexpected error occurred." } });
  });
});
