import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import { loadSettings } from "@/lib/env";
import { sameOriginPath } from "@/lib/http/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  const { callbackUrl } = await searchParams;
  // Never bounce a user to another origin after sign-in.
  const next = sameOriginPath(callbackUrl, loadSettings().publicUrl);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold">Keyward</h1>
        <p className="mb-6 text-sm text-slate-500">Sign in to manage API credentials.</p>
        <SignInForm callbackUrl={next} />
      </div>
    </main>
  );
}
