/** The Developer Console's list of service credentials: what an administrator sees of each (never a secret). */
import { credentialStatus, credentialTypeLabel, expiryState, latestExpiry, type CredentialStatus, type ExpiryState } from "../../domain/service-credential";
import { requireAdmin, type ServiceContext } from "../context";

export interface CredentialKeyView {
  id: string;
  fingerprint256: string;
  notBefore: number;
  notAfter: number;
  expiry: ExpiryState;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface ServiceCredentialView {
  clientId: string;
  name: string;
  technicalAccountId: string;
  technicalAccountEmail: string;
  accessLevel: "admin" | "user";
  metascopes: string[];
  typeLabel: string;
  jwtEnabled: boolean;
  s2sEnabled: boolean;
  migratedAt: number | null;
  secretHint: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  status: CredentialStatus;
  /** The longest-lasting certificate's expiry, and how the list should show it. */
  certificateExpires: number | null;
  expiry: ExpiryState;
  keys: CredentialKeyView[];
  liveTokens: number;
}

export async function listServiceCredentials(ctx: ServiceContext): Promise<ServiceCredentialView[]> {
  requireAdmin(ctx);
  const { store, clock } = ctx.rt;
  const now = clock.now();
  const usage = new Map((await store.serviceCredentials.usage(now)).map((u) => [u.clientId, u.liveTokens]));
  const out: ServiceCredentialView[] = [];
  for (const c of await store.serviceCredentials.list()) {
    const keys = await store.serviceCredentialKeys.list(c.clientId);
    const account = await store.users.byId(c.technicalAccountId);
    const expires = latestExpiry(keys);
    out.push({
      clientId: c.clientId,
      name: c.name,
      technicalAccountId: c.technicalAccountId,
      technicalAccountEmail: account?.email ?? "",
      accessLevel: account?.accessLevel ?? "user",
      metascopes: [...c.metascopes],
      typeLabel: credentialTypeLabel(c, keys.length),
      jwtEnabled: c.jwtEnabled,
      s2sEnabled: c.s2sEnabled,
      migratedAt: c.migratedAt,
      secretHint: c.secretHint,
      createdAt: c.createdAt,
      lastUsedAt: c.lastUsedAt,
      revokedAt: c.revokedAt,
      status: credentialStatus(c),
      certificateExpires: expires,
      expiry: c.revokedAt !== null || !c.jwtEnabled ? "none" : expiryState(expires, now),
      keys: keys.map((k) => ({
        id: k.id,
        fingerprint256: k.fingerprint256,
        notBefore: k.notBefore,
        notAfter: k.notAfter,
        expiry: expiryState(k.notAfter, now),
        createdAt: k.createdAt,
        lastUsedAt: k.lastUsedAt,
      })),
      liveTokens: usage.get(c.clientId) ?? 0,
    });
  }
  return out;
}

/** Active JWT credentials whose newest certificate has expired or expires within 30 days (for the console home). */
export async function credentialsNeedingAttention(ctx: ServiceContext): Promise<ServiceCredentialView[]> {
  return (await listServiceCredentials(ctx)).filter((c) => c.status === "active" && c.jwtEnabled && (c.expiry === "expiring" || c.expiry === "expired"));
}
