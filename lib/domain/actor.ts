/**
 * Who is acting: a principal, and the credential it came through. Built only by `actorOf`, so a new
 * kind of principal or credential (an OAuth client acting for a user, a technical account, an access
 * token with its client and scopes) is added here and in its resolver, never at the call sites.
 */
export type AccessLevel = "admin" | "user";

/** `user`: a person; later `client_for_user` (an OAuth app acting for one) and `technical_account`. */
export type PrincipalKind = "user" | "client_for_user" | "technical_account";

/** How the principal proved itself on this request. */
export type CredentialKind = "password" | "session" | "api_key" | "console" | "access_token" | "system";

export interface ActorCredential {
  kind: CredentialKind;
  /** The OAuth client the credential was issued to, when there is one. */
  clientId?: string;
  /** What the credential allows, when it is scoped. */
  scopes?: readonly string[];
}

export interface Actor {
  kind: PrincipalKind;
  /** The user acted as (for a technical account: its own ID). */
  userId: string;
  username: string;
  name: string;
  accessLevel: AccessLevel;
  credential: ActorCredential;
}

export interface Principal {
  id: string;
  username: string;
  name: string;
  accessLevel: AccessLevel;
}

/** The actor for a user authenticated through `credential`. */
export function actorOf(user: Principal, credential: ActorCredential | CredentialKind, kind: PrincipalKind = "user"): Actor {
  const cred = typeof credential === "string" ? { kind: credential } : credential;
  return Object.freeze({ kind, userId: user.id, username: user.username, name: user.name, accessLevel: user.accessLevel, credential: Object.freeze(cred) });
}
