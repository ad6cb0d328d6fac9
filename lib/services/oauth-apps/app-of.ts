/** The app a secret or key verb works on, read inside its transaction, with the checks they share. */
import { InvalidRequest, NotFound } from "../../errors";
import type { OAuthAppType, Store, StoredOAuthApp } from "../../storage/types";
import { APP_NOT_FOUND } from "./get";

export async function appInTx(tx: Store, clientId: string, allowed: (t: OAuthAppType) => boolean, refusal: string): Promise<StoredOAuthApp> {
  const app = await tx.oauthApps.byClientId(clientId);
  if (!app) throw new NotFound(APP_NOT_FOUND);
  if (!allowed(app.type)) throw new InvalidRequest(refusal);
  return app;
}

export const NOTES_MAX = 500;

export function readNotes(notes: unknown): string {
  const s = typeof notes === "string" ? notes.trim() : "";
  if (s.length > NOTES_MAX) throw new InvalidRequest(`Notes can be at most ${NOTES_MAX} characters.`);
  return s;
}
