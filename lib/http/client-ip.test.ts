import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientIp, markedClientIp } from "./request";

describe("clientIp", () => {
  it("takes the address from the header only when the Node entry marked it, so a client cannot choose its own", () => {
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: "203.0.113.9" }), false)).toBeNull();
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: `not-the-mark 203.0.113.9` }), false)).toBeNull();
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: markedClientIp("198.51.100.4") }), false)).toBe("198.51.100.4");
  });

  it("prefers the connection's address, and a trusted proxy's last X-Forwarded-For entry", () => {
    const h = new Headers({ [CLIENT_IP_HEADER]: markedClientIp("198.51.100.4"), "x-forwarded-for": "1.1.1.1, 192.0.2.8" });
    expect(clientIp(h, false, "10.0.0.1")).toBe("10.0.0.1");
    expect(clientIp(h, true, "10.0.0.1")).toBe("192.0.2.8");
    expect(clientIp(new Headers({ "x-forwarded-for": "192.0.2.8" }), false)).toBeNull();
  });
});
