import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCodeVerifier, isS256Challenge, s256, verifierMatches } from "./pkce";

describe("PKCE S256", () => {
  it("matches RFC 7636 appendix B", () => {
    expect(s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    expect(verifierMatches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")).toBe(true);
  });

  it("takes 43 to 128 unreserved characters as a verifier, nothing else", () => {
    expect(isCodeVerifier("a".repeat(43))).toBe(true);
    expect(isCodeVerifier("a".repeat(128))).toBe(true);
    for (const bad of ["a".repeat(42), "a".repeat(129), `${"a".repeat(42)}+`, `${"a".repeat(42)}=`, `${"a".repeat(42)} `, `${"a".repeat(42)}é`]) {
      expect(isCodeVerifier(bad), bad).toBe(false);
    }
  });

  it("refuses a wrong verifier, and the challenge itself sent as the verifier (plain)", () => {
    const verifier = "N28zVMsKU6ptUjHaYWg3T1NFTDQqcW1R4BU5NXywapNac4hhfkxjwfhZQat";
    const challenge = s256(verifier);
    expect(isS256Challenge(challenge)).toBe(true);
    expect(verifierMatches(`${verifier}x`, challenge)).toBe(false);
    expect(verifierMatches(challenge, challenge)).toBe(false);
  });

  it("accepts exactly the verifier a challenge was made from", () => {
    const unreserved = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".split(""));
    const verifier = fc.array(unreserved, { minLength: 43, maxLength: 128 }).map((a) => a.join(""));
    fc.assert(fc.property(verifier, verifier, (a, b) => verifierMatches(a, s256(b)) === (a === b)));
  });
});
