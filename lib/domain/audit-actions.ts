/**
 * Every audit action, one typed vocabulary: services can only record these, the audit filter (and so
 * the CSV export) accepts only these or a prefix of them with `*`, and the audit log describes each.
 */
export const AUDIT_ACTIONS = {
  "api_key.generate": "API key generated",
  "api_key.reset": "API key reset (replaced)",
  "api_key.remove": "API key removed",
  "api_key.remove_all": "All API keys removed",
  "api_key.preview_refresh": "API keys copied into a preview instance",
  "auth.console_sign_in": "Console sign-in",
  "auth.login_failed": "Failed sign-in",
  "auth.login_locked": "Sign-in attempts refused while the account was locked",
  "auth.login_refused_sso": "Password sign-in refused: SAML 2.0 only",
  "auth.login_refused_certificate": "API login refused: no accepted X.509 certificate attached",
  "oauth_app.create": "OAuth2 application created",
  "oauth_app.update": "OAuth2 application changed",
  "oauth_app.delete": "OAuth2 application deleted (its tokens revoked)",
  "oauth_secret.add": "OAuth2 client secret added",
  "oauth_secret.notes": "OAuth2 client secret notes changed",
  "oauth_secret.delete": "OAuth2 client secret deleted (its tokens revoked)",
  "oauth_key.add": "OAuth2 public key added",
  "oauth_key.generate": "OAuth2 key pair generated (public key kept, private key downloaded once)",
  "oauth_key.delete": "OAuth2 public key removed (its tokens revoked)",
  "oauth_token.issue": "OAuth2 access token issued",
  "oauth_token.revoke": "OAuth2 tokens revoked",
  "oauth.exchange_failed": "OAuth2 client authentications or grants refused",
  "oauth.code_replay": "OAuth2 authorization code presented again (its tokens revoked)",
  "oauth.refresh_reuse": "OAuth2 rotated refresh token reused (its family revoked)",
  "oauth.consent_given": "OAuth2 application authorized by a user",
  "oauth.consent_revoked": "OAuth2 application's authorization revoked by the user",
  "oauth_code.issue": "OAuth2 authorization code issued",
  "service_credential.create": "Service credential created (private key and secret shown once)",
  "service_credential.refresh": "Service credential refreshed (new key and certificate)",
  "service_credential.migrate": "Service credential migrated to OAuth Server-to-Server",
  "service_credential.revoke_jwt": "Service credential's JWT side revoked (its JWT tokens revoked)",
  "service_credential.revoke": "Service credential revoked (every token revoked)",
  "service_credential.remove_key": "Service credential certificate removed (its tokens revoked)",
  "ims_token.issue": "IMS access token issued",
  "ims_token.revoke": "IMS access token ended (logout)",
  "ims_token.local_issue": "Local development token issued",
  "ims_token.local_revoke": "Local development tokens revoked",
  "ims.exchange_failed": "IMS exchanges or client authentications refused",
  "signing_key.create": "Token signing key created",
  "signing_key.rotate": "Token signing key rotated",
  "project.create": "Project created",
  "project.update": "Project changed",
  "project.delete": "Project deleted",
  "security.rate_limited": "Attempts refused by a rate limit",
  "session.create": "REST API session started",
  "settings.api_keys": "API key settings changed",
  "settings.security": "Security settings changed",
  "settings.sso": "Single sign-on settings changed",
  "x509.enable": "X.509 certificate API login turned on",
  "x509.disable": "X.509 certificate API login turned off",
  "x509.upload": "API login certificate uploaded",
  "x509.replace": "API login certificate replaced",
  "x509.add_next": "Next API login certificate added (rotation)",
  "x509.remove": "API login certificate removed",
  "user.create": "User created",
  "user.update": "User changed",
  "user.deactivate": "User deactivated",
  "user.reactivate": "User reactivated",
  "user.lock": "Account locked after failed sign-ins",
  "user.password_change": "Password changed",
  "user.password_reset": "Password reset by an administrator",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

const KNOWN: ReadonlySet<string> = new Set(AUDIT_ACTION_NAMES);

export function isAuditAction(name: string): name is AuditAction {
  return KNOWN.has(name);
}

/** What an action means, for people reading an export; unknown (older) actions have no description. */
export function describeAuditAction(name: string): string {
  return isAuditAction(name) ? AUDIT_ACTIONS[name] : "";
}

/** An exact action, or a prefix ending in `*` that at least one action starts with. */
export function matchesSomeAuditAction(filter: string): boolean {
  if (filter === "*") return true;
  if (!filter.endsWith("*")) return isAuditAction(filter);
  const prefix = filter.slice(0, -1);
  return AUDIT_ACTION_NAMES.some((a) => a.startsWith(prefix));
}
