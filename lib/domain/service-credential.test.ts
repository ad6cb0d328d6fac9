/** The service-credential rules: identifier formats, the metascope catalogue, and expiry and type labels. */
import { describe, expect, it } from "vitest";
import {
  allowsWrites,
  credentialStatus,
  credentialTypeLabel,
  DEFAULT_METASCOPES,
  EXPIRY_WARNING_MS,
  expiryState,
  imsEndpointOf,
  latestExpiry,
  METASCOPES,
  newServiceClientId,
  newTechnicalAccountEmail,
  newTechnicalAccountId,
  organizationId,
  parseMetascopes,
  WRITE_METASCOPE,
} from "./service-credential";

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAY = 86_400_000;

describe("identifier formats", () => {
  it("client IDs are 32 lowercase hex characters, different each time", () => {
    const ids = Array.from({ length: 50 }, newServiceClientId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("technical account IDs are 24 uppercase hex characters @techacct.keyward, different each time", () => {
    const ids = Array.from({ length: 50 }, newTechnicalAccountId);
    for (const id of ids) expect(id).toMatch(/^[0-9A-F]{24}@techacct\.keyward$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("technical account emails are a UUID @techacct.keyward, and never equal the account ID", () => {
    const email = newTechnicalAccountEmail();
    expect(email).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@techacct\.keyward$/);
    expect(newTechnicalAccountEmail()).not.toBe(email);
  });

  it("the organization ID is the first 24 characters of the customer ID, uppercased, @KeywardOrg", () => {
    expect(organizationId("0123456789abcdef0123456789abcdef")).toBe("0123456789ABCDEF01234567@KeywardOrg");
    expect(organizationId("abc")).toBe("ABC@KeywardOrg");
  });

  it("the IMS endpoint is the public URL's host with its port, without scheme or path", () => {
    expect(imsEndpointOf("http://localhost:3000")).toBe("localhost:3000");
    expect(imsEndpointOf("https://keyward.example.com/")).toBe("keyward.example.com");
    expect(imsEndpointOf("https://keyward.example.com:443/base/path")).toBe("keyward.example.com");
    expect(imsEndpointOf("https://keyward.example.com:8443/base")).toBe("keyward.example.com:8443");
    expect(() => imsEndpointOf("not a url")).toThrow();
  });
});

describe("metascopes", () => {
  it("the catalogue has the write and the read-only metascope; the default is the write one", () => {
    expect([...METASCOPES.keys()]).toEqual(["ent_keyward_api", "ent_keyward_readonly_api"]);
    expect(DEFAULT_METASCOPES).toEqual(["ent_keyward_api"]);
    expect(WRITE_METASCOPE).toBe("ent_keyward_api");
  });

  it("parseMetascopes answers the chosen ones in catalogue order, without repeats", () => {
    expect(parseMetascopes(["ent_keyward_api"])).toEqual({ scopes: ["ent_keyward_api"] });
    expect(parseMetascopes(["ent_keyward_readonly_api", "ent_keyward_api"])).toEqual({ scopes: ["ent_keyward_api", "ent_keyward_readonly_api"] });
    expect(parseMetascopes(["ent_keyward_readonly_api", "ent_keyward_readonly_api"])).toEqual({ scopes: ["ent_keyward_readonly_api"] });
  });

  it("parseMetascopes refuses an unknown metascope, even beside known ones, and an empty choice", () => {
    expect(parseMetascopes(["ent_other_sdk"])).toEqual({ problem: "Choose metascopes from the list." });
    expect(parseMetascopes(["ent_keyward_api", "ENT_KEYWARD_API"])).toEqual({ problem: "Choose metascopes from the list." });
    expect(parseMetascopes(["ent_keyward_api", ""])).toEqual({ problem: "Choose metascopes from the list." });
    expect(parseMetascopes(["constructor"])).toEqual({ problem: "Choose metascopes from the list." });
    expect(parseMetascopes([])).toEqual({ problem: "Choose at least one metascope." });
  });

  it("only the write metascope allows changes", () => {
    expect(allowsWrites(["ent_keyward_api"])).toBe(true);
    expect(allowsWrites(["ent_keyward_readonly_api", "ent_keyward_api"])).toBe(true);
    expect(allowsWrites(["ent_keyward_readonly_api"])).toBe(false);
    expect(allowsWrites([])).toBe(false);
  });
});

describe("certificate expiry", () => {
  it("expiryState: none without a certificate, expired once past, expiring within 30 days (inclusive), valid beyond", () => {
    expect(EXPIRY_WARNING_MS).toBe(30 * DAY);
    expect(expiryState(null, NOW)).toBe("none");
    expect(expiryState(NOW - 1, NOW)).toBe("expired");
    expect(expiryState(NOW - 365 * DAY, NOW)).toBe("expired");
    expect(expiryState(NOW, NOW)).toBe("expiring");
    expect(expiryState(NOW + 1, NOW)).toBe("expiring");
    expect(expiryState(NOW + 30 * DAY, NOW)).toBe("expiring");
    expect(expiryState(NOW + 30 * DAY + 1, NOW)).toBe("valid");
    expect(expiryState(NOW + 365 * DAY, NOW)).toBe("valid");
  });

  it("latestExpiry is the latest notAfter of the certificates, or null when there are none", () => {
    expect(latestExpiry([])).toBeNull();
    expect(latestExpiry([{ notAfter: NOW }])).toBe(NOW);
    expect(latestExpiry([{ notAfter: NOW + DAY }, { notAfter: NOW + 3 * DAY }, { notAfter: NOW - DAY }])).toBe(NOW + 3 * DAY);
    expect(latestExpiry([{ notAfter: NOW - 2 * DAY }, { notAfter: NOW - DAY }])).toBe(NOW - DAY);
  });
});

describe("type and status labels", () => {
  it("credentialTypeLabel names what the credential accepts", () => {
    expect(credentialTypeLabel({ jwtEnabled: true, s2sEnabled: false, revokedAt: null })).toBe("JWT (service account)");
    expect(credentialTypeLabel({ jwtEnabled: true, s2sEnabled: true, revokedAt: null })).toBe("JWT + OAuth Server-to-Server (migrating)");
    expect(credentialTypeLabel({ jwtEnabled: false, s2sEnabled: true, revokedAt: null })).toBe("OAuth Server-to-Server");
    // Certificates do not change the label of a credential that still accepts something.
    expect(credentialTypeLabel({ jwtEnabled: false, s2sEnabled: true, revokedAt: null, migratedAt: NOW }, 0)).toBe("OAuth Server-to-Server");
    expect(credentialTypeLabel({ jwtEnabled: true, s2sEnabled: false, revokedAt: null }, 3)).toBe("JWT (service account)");
  });

  it("credentialTypeLabel of a revoked credential (both sides off) names what it accepted", () => {
    const revoked = { jwtEnabled: false, s2sEnabled: false, revokedAt: NOW };
    // A JWT credential keeps its certificates when revoked; an OAuth Server-to-Server one never had any.
    expect(credentialTypeLabel({ ...revoked, migratedAt: null }, 1)).toBe("JWT (service account)");
    expect(credentialTypeLabel({ ...revoked, migratedAt: null }, 0)).toBe("OAuth Server-to-Server");
    expect(credentialTypeLabel(revoked)).toBe("OAuth Server-to-Server");
    // Migrated: still holding certificates means the JWT side was on until the revocation.
    expect(credentialTypeLabel({ ...revoked, migratedAt: NOW - DAY }, 2)).toBe("JWT + OAuth Server-to-Server (migrating)");
    expect(credentialTypeLabel({ ...revoked, migratedAt: NOW - DAY }, 0)).toBe("OAuth Server-to-Server");
  });

  it("credentialStatus is revoked exactly when a revocation time is set", () => {
    expect(credentialStatus({ jwtEnabled: true, s2sEnabled: false, revokedAt: null })).toBe("active");
    expect(credentialStatus({ jwtEnabled: false, s2sEnabled: false, revokedAt: NOW })).toBe("revoked");
    expect(credentialStatus({ jwtEnabled: false, s2sEnabled: false, revokedAt: 0 })).toBe("revoked");
  });
});
