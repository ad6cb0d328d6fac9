/**
 * What an OAuth2 application is allowed to be: its three types, the settings each carries, their
 * defaults, and the validation of every field an administrator types. Pure; the services call it.
 */
import type {
  OAuthAppType,
  OAuthTokenType,
  RefreshAbsoluteExpiry,
  RefreshInactivityExpiry,
} from "../storage/types";

/** The vendor allows ten applications at a time. */
export const MAX_OAUTH_APPS = 10;
export const MAX_SECRETS_PER_APP = 5;
export const MAX_KEYS_PER_APP = 10;
export const MAX_REDIRECT_URIS = 20;
export const MAX_LOGO_BYTES = 100 * 1024;

export const APP_TYPES: readonly OAuthAppType[] = ["machine_to_machine", "web", "single_page"];

export const APP_TYPE_LABELS: Record<OAuthAppType, string> = {
  machine_to_machine: "Machine to machine (server authentication, JWT flow)",
  web: "Web application (authorization code + client secret)",
  single_page: "Single-page web application (PKCE, no secret)",
};

/**
 * `token_type` in token responses. Web apps default to the vendor's classic `sessionID`, single-page
 * apps to `Bearer` (as the vendor documents). Machine-to-machine apps default to `Bearer`: their
 * callers are server code using standard OAuth libraries, and the token works in the `sessionID`
 * header whatever the label says.
 */
export const DEFAULT_TOKEN_TYPE: Record<OAuthAppType, OAuthTokenType> = {
  machine_to_machine: "Bearer",
  web: "sessionID",
  single_page: "Bearer",
};

export const TOKEN_TYPES: readonly OAuthTokenType[] = ["sessionID", "Bearer"];

const DAY = 86_400_000;

export const REFRESH_ABSOLUTE_EXPIRIES: Record<RefreshAbsoluteExpiry, { label: string; ms: number | null }> = {
  "1d": { label: "1 day", ms: DAY },
  "7d": { label: "7 days", ms: 7 * DAY },
  "30d": { label: "30 days", ms: 30 * DAY },
  "90d": { label: "90 days", ms: 90 * DAY },
  "6m": { label: "6 months", ms: 182 * DAY },
  "1y": { label: "1 year", ms: 365 * DAY },
  none: { label: "Never", ms: null },
};

export const REFRESH_INACTIVITY_EXPIRIES: Record<RefreshInactivityExpiry, { label: string; ms: number }> = {
  "1d": { label: "1 day", ms: DAY },
  "7d": { label: "7 days", ms: 7 * DAY },
  "14d": { label: "14 days", ms: 14 * DAY },
  "30d": { label: "30 days", ms: 30 * DAY },
  "90d": { label: "90 days", ms: 90 * DAY },
};

export const MAX_REFRESH_REUSE_SECONDS = 60;

/** Apps that redirect users to sign in (authorization code flow), as opposed to the JWT flow. */
export const usesRedirects = (type: OAuthAppType): boolean => type !== "machine_to_machine";
/** Apps that authenticate with a client secret (single-page apps are public clients). */
export const hasSecrets = (type: OAuthAppType): boolean => type !== "single_page";
export const hasPublicKeys = (type: OAuthAppType): boolean => type === "machine_to_machine";

function hasSpaceOrControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || /\s/.test(s[i]!)) return true;
  }
  return false;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * A redirect URL as RFC 9700 wants it: absolute, https (or http on a loopback host, for native and
 * development clients), no fragment, no user info, no wildcard. Returned as typed: matching is exact.
 * Returns an error message, or null when the URL is acceptable.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length === 0) return "A redirect URL cannot be empty.";
  if (uri.length > 2000) return "A redirect URL can be at most 2,000 characters.";
  if (hasSpaceOrControl(uri)) return "A redirect URL cannot contain spaces or control characters.";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${shorten(uri)}" is not an absolute URL (it needs https:// and a host).`;
  }
  if (uri.includes("#")) return "A redirect URL cannot contain a fragment (#).";
  // A URL parser reads "\\" as "/", so "https://evil.example\\@app.example/" is really evil.example.
  if (uri.includes("\\")) return "A redirect URL cannot contain a backslash.";
  if (url.username || url.password) return "A redirect URL cannot contain a user name or password.";
  if (uri.includes("*")) return "A redirect URL cannot contain wildcards: each URL must match exactly.";
  if (url.protocol === "https:") return url.hostname ? null : "A redirect URL needs a host.";
  if (url.protocol === "http:") {
    return LOOPBACK_HOSTS.has(url.hostname) ? null : "A redirect URL must use https (http is allowed only for 127.0.0.1, [::1] or localhost).";
  }
  return `A redirect URL must use https, not ${url.protocol.replace(/:$/, "")}.`;
}

/** An optional https (or loopback http) link, such as the privacy policy. */
export function linkProblem(uri: string, what: string): string | null {
  if (uri === "") return null;
  const p = redirectUriProblem(uri);
  return p ? p.replace(/A redirect URL/g, what).replace(/each URL must match exactly/, "give one address") : null;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@.]{1,63}$/;

export function emailProblem(email: string): string | null {
  if (email === "") return null;
  return EMAIL.test(email) && email.length <= 320 ? null : "The developer email is not an email address.";
}

const IMAGE_SIGNATURES: readonly { type: string; bytes: readonly number[]; offset?: number }[] = [
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
  { type: "image/gif", bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: "image/webp", bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
];

/**
 * A logo upload as a data: URL, typed by its bytes (not by the name or the browser's claim). SVG is
 * refused: it can carry script, and the consent page shows the logo to every user who signs in.
 */
export function logoDataUrl(bytes: Uint8Array): { dataUrl: string } | { problem: string } {
  if (bytes.length === 0) return { problem: "The logo file is empty." };
  if (bytes.length > MAX_LOGO_BYTES) return { problem: `The logo can be at most ${MAX_LOGO_BYTES / 1024} KiB (this one is ${Math.ceil(bytes.length / 1024)} KiB).` };
  const match = IMAGE_SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[(s.offset ?? 0) + i] === b));
  if (!match) return { problem: "The logo must be a PNG, JPEG, GIF or WebP image." };
  return { dataUrl: `data:${match.type};base64,${Buffer.from(bytes).toString("base64")}` };
}

export function shorten(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
