/**
 * Failed client authentications and refused grants, for every surface that authenticates clients by
 * ID and secret (the OAuth2 API, the IMS endpoints): each failure is charged to the surface's limits
 * per address and per client ID (429 once either is over), and a client's failures are audited once
 * per window with their count. Only failures count: a right secret is never refused by the limits,
 * so a flood of wrong ones cannot lock out the client that holds the right one.
 *
 * Unknown client IDs are whatever the caller typed (sometimes a secret pasted in the wrong field):
 * they are reported per address under one key, and their limiter key is a keyed hash, since the
 * limiter's one report per window writes its key to the audit log. Nothing of them is logged verbatim.
 */
import { lookupHash } from "../../crypto/secrets";
import type { AuditAction } from "../../domain/audit-actions";
import type { LimitName } from "../../security/limits";
import { addressKey } from "../../security/rate-limiter";
import { audit, type ServiceContext } from "../context";
import { takeAttempt } from "./throttle";

export const MAX_CLIENT_ID = 128;

export interface ClientFailureSurface {
  addressLimit: LimitName;
  clientLimit: LimitName;
  action: AuditAction;
  subjectType: string;
  /** Separates this surface's hashed unknown client IDs from its secrets' lookup hashes. */
  hashLabel: string;
}

export async function chargeClientFailureOn(
  surface: ClientFailureSurface,
  ctx: ServiceContext,
  clientId: string,
  reason: string,
  detail?: string,
): Promise<void> {
  const key = clientId.slice(0, MAX_CLIENT_ID);
  const address = addressKey(ctx.meta.ip);
  const unknown = reason === "unknown_client";
  // The limits first: a refused attempt (429) leaves no row of its own, only the limiter's one
  // report per window, so a limited address cannot grow the audit log by sending new client IDs.
  await takeAttempt(ctx, surface.addressLimit, address);
  const clientKey = unknown ? `unknown-client:${lookupHash(ctx.rt.keys, `${surface.hashLabel}:${clientId}`).slice(0, 22)}` : key;
  await takeAttempt(ctx, surface.clientLimit, clientKey);
  const count = ctx.rt.limiter.noteInWindow(unknown ? surface.addressLimit : surface.clientLimit, unknown ? `unknown-client:${address}` : key);
  if (count === 0) return;
  await ctx.rt.store.transaction((tx) =>
    audit(tx, ctx, {
      action: surface.action,
      actorId: null,
      actorName: "anonymous",
      subjectType: surface.subjectType,
      subjectId: unknown ? null : key,
      details: { reason, count, ...(unknown ? { clientIdLength: clientId.length } : {}), ...(detail ? { detail: detail.slice(0, 200) } : {}) },
    }),
  );
}
