/** @type {import('next').NextConfig} */
const nextConfig = {
  // API paths answer with and without a trailing slash and never redirect.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
