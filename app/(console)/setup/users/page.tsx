import { requireConsoleAdmin } from "@/app/_server/guard";
import { Card, PageTitle } from "@/components/ui/card";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UsersPager } from "@/components/users/users-pager";
import type { UserRow } from "@/components/users/types";
import { UsersTable } from "@/components/users/users-table";
import type { User } from "@/lib/storage/types";
import { createUserAction, resetPasswordAction, setUserActiveAction, updateUserAction } from "./actions";

const PAGE_SIZE = 50;
const ROW_ACTIONS = { update: updateUserAction, resetPassword: resetPasswordAction, setActive: setUserActiveAction };

/** Only what the table shows crosses to the browser. */
function toRow(u: User): UserRow {
  return { id: u.id, username: u.username, name: u.name, email: u.email, accessLevel: u.accessLevel, isDeveloper: u.isDeveloper, isActive: u.isActive, lastLoginAt: u.lastLoginAt };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const { ctx, user: me } = await requireConsoleAdmin();
  const params = await searchParams;
  const q = first(params.q).slice(0, 100);
  // Anything that is not a positive page number shows the first page.
  const page = Math.max(1, Math.min(Number.parseInt(first(params.page), 10) || 1, 1_000_000));
  const { users, total } = await ctx.rt.store.users.list({ search: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });

  return (
    <>
      <PageTitle subtitle="People who can sign in to this console and use the REST API.">Users</PageTitle>
      <Card title="Create user">
        <CreateUserForm action={createUserAction} />
      </Card>
      <Card title="All users">
        <form method="get" action="/setup/users" role="search" aria-label="Search users" className="mb-4 flex gap-2">
          <input
            name="q"
            type="search"
            defaultValue={q}
            aria-label="Search users"
            placeholder="Username, name or email"
            className="w-full max-w-sm rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100">
            Search
          </button>
        </form>
        <div className="mb-3">
          <UsersPager q={q} page={page} pageSize={PAGE_SIZE} shown={users.length} total={total} />
        </div>
        <UsersTable users={users.map(toRow)} actions={ROW_ACTIONS} currentUserId={me.id} />
      </Card>
    </>
  );
}
