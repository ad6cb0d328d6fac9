/**
 * Where to send a browser after sign-in: only a path on this instance. Anything that parses to
 * another origin (`//evil`, `/\evil`, `/\t/evil`, `https://evil`) falls back to `/`.
 */
export function sameOriginPath(raw: string | string[] | undefined, publicUrl: string): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return "/";
  const origin = new URL(publicUrl).origin;
  try {
    const u = new URL(value, origin);
    return u.origin === origin ? u.pathname + u.search + u.hash : "/";
  } catch {
    return "/";
  }
}
