// The benchmark peer: node-oidc-provider answering RFC 7662 token introspection for a resource server
// client (client_secret_basic) and the client_credentials grant at its token endpoint, for a client
// authenticating with private_key_jwt (RS256) and for one with client_secret_basic. Tokens, and the
// client assertions' jti kept for replay detection, are stored in SQLite (./sqlite-adapter.mjs).
//
//   PEER_PORT=4100 PEER_DB=/tmp/x/peer.db PEER_OUT=/tmp/x/peer.json node bench/peer/server.mjs
//
// At start it fills the store with PEER_TOKENS opaque access tokens (default 100,000, spread over
// 1,000 grants, so lookups hit a table of realistic size), mints one more whose value the benchmark
// introspects, generates the private_key_jwt client's RSA key pair (registering the public half),
// listens on 127.0.0.1, then writes PEER_OUT:
//
//   { url, introspectionEndpoint, clientId, clientSecret, token,      // introspection (bench-rs)
//     tokenEndpoint,
//     privateKeyJwt: { clientId, kid, alg, privateJwk },               // client_credentials, RS256 assertion
//     basic: { clientId, clientSecret } }                              // client_credentials, Basic auth
//
// The assertions for privateKeyJwt are signed by the load generator (bench/peer/assertions.mjs),
// each with its own jti: the provider refuses a jti it has seen.
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import Provider from "oidc-provider";
import { createSqliteAdapter } from "./sqlite-adapter.mjs";

const port = Number(process.env.PEER_PORT || 4100);
const host = "127.0.0.1";
const dbFile = process.env.PEER_DB;
const outFile = process.env.PEER_OUT;
const fillTokens = Number(process.env.PEER_TOKENS ?? 100_000);
const fillGrants = 1_000;
if (!dbFile || !outFile) {
  console.error("PEER_DB and PEER_OUT are required");
  process.exit(2);
}

const APP = { client_id: "bench-app", client_secret: "bench-app-secret-0123456789abcdef" };
const RS = { client_id: "bench-rs", client_secret: "bench-rs-secret-0123456789abcdef" };
const JWT_CLIENT = { client_id: "bench-jwt", kid: "bench-jwt-1", alg: "RS256" };
const BASIC = { client_id: "bench-basic", client_secret: "bench-basic-secret-0123456789abcdef" };

const { Adapter, db } = createSqliteAdapter(dbFile);
const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
// The private_key_jwt client's own key pair: the provider gets the public JWK, the load generator the private one.
const jwtClientKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwtClientPublicJwk = { ...jwtClientKeys.publicKey.export({ format: "jwk" }), kid: JWT_CLIENT.kid, use: "sig", alg: JWT_CLIENT.alg };
const jwtClientPrivateJwk = { ...jwtClientKeys.privateKey.export({ format: "jwk" }), kid: JWT_CLIENT.kid, alg: JWT_CLIENT.alg };

const issuer = `http://${host}:${port}`;
const provider = new Provider(issuer, {
  adapter: Adapter,
  clients: [
    {
      ...APP,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: ["http://127.0.0.1/callback"],
      token_endpoint_auth_method: "client_secret_basic",
    },
    { ...RS, grant_types: [], response_types: [], redirect_uris: [], token_endpoint_auth_method: "client_secret_basic" },
    {
      client_id: JWT_CLIENT.client_id,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "private_key_jwt",
      token_endpoint_auth_signing_alg: JWT_CLIENT.alg,
      jwks: { keys: [jwtClientPublicJwk] },
    },
    { ...BASIC, grant_types: ["client_credentials"], response_types: [], redirect_uris: [], token_endpoint_auth_method: "client_secret_basic" },
  ],
  jwks: { keys: [{ ...signingKey, kid: "bench", use: "sig", alg: "RS256" }] },
  cookies: { keys: ["bench-cookie-key-0123456789abcdef"] },
  features: {
    introspection: {
      enabled: true,
      // The library default: public clients may only introspect their own tokens.
      allowedPolicy: async (ctx, client, token) => !(client.clientAuthMethod === "none" && token.clientId !== ctx.oidc.client.clientId),
    },
    // No resource indicator is sent, so client_credentials tokens are opaque and stored by the adapter.
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
  },
  ttl: { AccessToken: 3600, ClientCredentials: 3600, Grant: 86_400, Session: 86_400, Interaction: 600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 86_400 },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
});

async function mint(client, accountId, grantId) {
  const token = new provider.AccessToken({ accountId, client, grantId, scope: "openid", gty: "authorization_code" });
  return token.save();
}

async function newGrant(accountId) {
  const grant = new provider.Grant({ accountId, clientId: APP.client_id });
  grant.addOIDCScope("openid");
  return grant.save();
}

async function main() {
  const client = await provider.Client.find(APP.client_id);
  const started = Date.now();
  db.exec("BEGIN");
  try {
    const grants = [];
    for (let g = 0; g < fillGrants; g++) grants.push(await newGrant(`account-${g}`));
    for (let i = 0; i < fillTokens; i++) await mint(client, `account-${i % fillGrants}`, grants[i % fillGrants]);
    db.exec("COMMIT");
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
  const grantId = await newGrant("bench-account");
  const token = await mint(client, "bench-account", grantId);
  console.log(`peer: store filled with ${fillTokens} access tokens over ${fillGrants} grants in ${Date.now() - started} ms`);

  const server = provider.listen(port, host, () => {
    const introspectionEndpoint = `${issuer}${provider.pathFor("introspection")}`;
    const tokenEndpoint = `${issuer}${provider.pathFor("token")}`;
    // Written aside and renamed, so a reader never sees a half-written file.
    fs.writeFileSync(
      `${outFile}.tmp`,
      JSON.stringify({
        url: issuer,
        introspectionEndpoint,
        clientId: RS.client_id,
        clientSecret: RS.client_secret,
        token,
        tokenEndpoint,
        privateKeyJwt: { clientId: JWT_CLIENT.client_id, kid: JWT_CLIENT.kid, alg: JWT_CLIENT.alg, privateJwk: jwtClientPrivateJwk },
        basic: { clientId: BASIC.client_id, clientSecret: BASIC.client_secret },
      }),
      { mode: 0o600 },
    );
    fs.renameSync(`${outFile}.tmp`, outFile);
    console.log(`peer: oidc-provider listening on ${issuer}, introspection at ${introspectionEndpoint}, token at ${tokenEndpoint}`);
  });
  server.keepAliveTimeout = 65_000;
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
