/** Texts and small formatters the Developer Console components share. */
import { formatDateTime } from "@/components/api-keys/format";
import type { ExpiryState } from "@/lib/domain/service-credential";

export const DEVELOPER_CONSOLE_PATH = "/developer-console";

/** A metascope as the create form offers it (the catalogue comes from the server page). */
export interface Metascope {
  name: string;
  description: string;
}

export const CREDENTIAL_TYPES = [
  {
    value: "jwt",
    label: "JWT service credential",
    sentence: "Your server signs a JWT with the bundle's private key and exchanges it at /ims/exchange/jwt for a 24-hour access token.",
  },
  {
    value: "oauth_server_to_server",
    label: "OAuth Server-to-Server",
    sentence: "No key pair: your server sends the client ID and secret to /ims/token/v3 (client_credentials) for a 24-hour access token.",
  },
] as const;

export const whenUsed = (at: number | null): string => (at === null ? "Never" : formatDateTime(at));

export const count = (n: number, kind: string) => `${n} ${kind}${n === 1 ? "" : "s"}`;

/** The badge beside a certificate expiry: a warning within 30 days, red once past. */
export const EXPIRY_BADGES: Record<ExpiryState, { text: string; className: string } | null> = {
  none: null,
  valid: null,
  expiring: { text: "Expires soon", className: "bg-amber-100 text-amber-900" },
  expired: { text: "Expired", className: "bg-red-100 text-red-800" },
};
