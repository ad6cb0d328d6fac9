/**
 * Where to send a browser after sign-in: only a path on this instance. Anything that parses to
 * another origin (`//evil`, `/\evil`, `/\t/evil`, `https://evil`) falls back to `/`, and so does a
 * path that the URL parser normalises into one starting with `//` (`/.//evil`, `/%2e//evil`): a
 * browser reads such a path as another host.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

export function sameOriginPath(raw: string | string[] | undefined, publicUrl: string): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || CONTROL.test(value) || value.includes("\\")) return "/";
  const origin = new URL(publicUrl).origin;
  try {
    const u = new URL(value, origin);
    if (u.origin !== origin) return "/";
    const path = u.pathname + u.search + u.hash;
    return path.startsWith("/") && !path.startsWith("//") ? path : "/";
  } catch {
    return "/";
  }
}
