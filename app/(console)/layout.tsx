import { requireConsoleUser } from "@/app/_server/guard";
import { ConsoleNav } from "@/components/console/nav";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { canUseDeveloperConsole } from "@/lib/services/service-credentials/access";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const { ctx, user, isAdmin } = await requireConsoleUser();
  const developer = isAdmin || (await canUseDeveloperConsole(ctx));
  return (
    <div className="flex min-h-screen">
      <aside className="w-64 shrink-0 border-r border-slate-200 bg-white">
        <div className="border-b border-slate-200 px-5 py-4">
          <div className="text-lg font-semibold">Keyward</div>
          <div className="text-xs text-slate-500">API credentials console</div>
        </div>
        <ConsoleNav isAdmin={isAdmin} developer={developer} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-4 border-b border-slate-200 bg-white px-6 py-3 text-sm">
          <span data-testid="signed-in-as">
            {user.name} <span className="text-slate-500">({user.username}{isAdmin ? ", System Administrator" : ""})</span>
          </span>
          <SignOutButton />
        </header>
        <main className="flex-1 p-8">{children}</main>
      </div>
    </div>
  );
}
