/**
 * Add client secret: a second (up to fifth) secret beside the others, so a secret rotates without
 * downtime: add, deploy the new one, delete the old.
 */
import { Conflict } from "../../errors";
import { hasSecrets, MAX_SECRETS_PER_APP } from "../../domain/oauth-app";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { appInTx, readNotes } from "./app-of";
import { issueClientSecret } from "./secret";
import { toSecretView, type ClientSecretView } from "./view";

export const NO_SECRETS = "A single-page application is a public client: it has no client secret and proves itself with PKCE.";

export async function addClientSecret(ctx: ServiceContext, clientId: string, notes?: string): Promise<{ secret: string; view: ClientSecretView }> {
  const actor = requireAdmin(ctx);
  const { store, clock, keys } = ctx.rt;
  const issued = issueClientSecret(keys, clientId, actor.userId, clock.now(), readNotes(notes));
  await store.transaction(async (tx) => {
    await appInTx(tx, clientId, hasSecrets, NO_SECRETS);
    if ((await tx.clientSecrets.list(clientId)).length >= MAX_SECRETS_PER_APP) {
      throw new Conflict(`An application can have at most ${MAX_SECRETS_PER_APP} client secrets. Delete one you no longer use first.`);
    }
    await tx.clientSecrets.create(issued.stored);
    await audit(tx, ctx, { action: "oauth_secret.add", subjectType: "oauth_app", subjectId: clientId, details: { secretId: issued.stored.id, hint: issued.stored.hint } });
  });
  return { secret: issued.secret, view: toSecretView(issued.stored) };
}
