// GET /.well-known/oauth-authorization-server (RFC 8414), and the same document at
// /.well-known/openid-configuration for clients that discover only that way.
import { NotFound } from "../errors";
import { endpoint } from "../http/endpoint";
import { authorizationServerMetadata } from "../services/oauth/metadata";
import { oauthJson } from "./envelope";
import { MethodNotAllowed } from "./errors";
import { oauthSurface } from "./handler";

export const METADATA_PATHS = ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"] as const;

export const handleMetadataRequest = endpoint(oauthSurface, async ({ rt, url, req }) => {
  const path = url.pathname.replace(/\/$/, "");
  if (!(METADATA_PATHS as readonly string[]).includes(path)) throw new NotFound(`Nothing at ${url.pathname.slice(0, 200)}`);
  if (req.method !== "GET" && req.method !== "HEAD") throw new MethodNotAllowed("GET");
  // Public and the same for everyone: cacheable for a short while, unlike token responses.
  return oauthJson(authorizationServerMetadata(rt), 200, { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" });
});
