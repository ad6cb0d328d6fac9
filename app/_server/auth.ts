// Console sign-in: next-auth with credentials checked against the users table.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { deriveKeys, loadOrCreateSecret } from "@/lib/crypto/secrets";
import { loadSettings } from "@/lib/env";
import { clientIp } from "@/lib/http/request";
import { getRuntime } from "@/lib/runtime";
import { consoleSignIn } from "@/lib/services/auth/console-sign-in";

const SESSION_HOURS = 8;

function cookieSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const s = loadSettings();
  return deriveKeys(loadOrCreateSecret(s.dataDir, s.secret)).cookie;
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: cookieSecret(),
    session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
    useSecureCookies: loadSettings().publicUrl.startsWith("https:"),
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Keyward",
        credentials: {
          username: { label: "Username", type: "text" },
          password: { label: "Password", type: "password" },
          newPassword: { label: "New password", type: "password" },
        },
        async authorize(credentials, req) {
          const rt = await getRuntime();
          const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
          const user = await consoleSignIn(
            { rt, actor: null, meta: { ip: clientIp({ get: (n) => headers[n] }, rt.settings.trustProxy), userAgent: headers["user-agent"] ?? null } },
            { username: credentials?.username, password: credentials?.password, newPassword: credentials?.newPassword || undefined },
          );
          return { id: user.id, name: user.name, email: user.email || null, passwordChangedAt: user.passwordChangedAt };
        },
      }),
    ],
    callbacks: {
      // The password's change time rides in the token: a reset or change elsewhere ends this session.
      // How the user signed in, so that "Only allow SAML 2.0 authentication" can end password sessions.
      async jwt({ token, user }) {
        if (user) {
          token.passwordChangedAt = (user as { passwordChangedAt?: number }).passwordChangedAt;
          token.via = "password";
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) {
          const u = session.user as { id?: string; passwordChangedAt?: unknown; via?: unknown };
          u.id = token.sub;
          u.passwordChangedAt = token.passwordChangedAt;
          u.via = token.via;
        }
        return session;
      },
    },
  };
  return cached;
}
