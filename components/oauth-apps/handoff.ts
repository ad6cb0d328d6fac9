/**
 * What one console page hands the next within this tab, in memory only (never in the URL or in
 * browser storage): the first client secret of an app just created, shown once on its page, and the
 * outcome of deleting an app, shown on the list. A reload loses it, which is the point.
 */
const LIST = "list";

interface Handed {
  /** The page it is for: a client ID, or the list. */
  to: string;
  message: string;
  secret: string | null;
}

let handed: Handed | null = null;

export function handToApp(clientId: string, message: string, secret: string | null): void {
  handed = { to: clientId, message, secret };
}

export function handToList(message: string): void {
  handed = { to: LIST, message, secret: null };
}

/** Reads what was handed to this page, without taking it (a render may run twice). */
export function peekHanded(to: string | null): Omit<Handed, "to"> | null {
  if (typeof window === "undefined" || !handed || handed.to !== (to ?? LIST)) return null;
  return { message: handed.message, secret: handed.secret };
}

/** Forgets what was handed to this page once it has been shown. */
export function forgetHanded(to: string | null): void {
  if (handed?.to === (to ?? LIST)) handed = null;
}
