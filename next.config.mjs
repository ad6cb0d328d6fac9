/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets parallel builds (e.g. several test servers) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // API paths answer with and without a trailing slash and never redirect.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
