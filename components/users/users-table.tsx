import { ACCESS_LEVEL_LABEL, type UserRow, type UserRowActions as Actions } from "./types";
import { UserRowActions } from "./user-row-actions";

function lastLogin(at: number | null): string {
  return at === null ? "Never" : `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** One page of users with their per-user actions. */
export function UsersTable({ users, actions, currentUserId }: { users: UserRow[]; actions: Actions; currentUserId: string }) {
  if (users.length === 0) {
    return <p className="rounded-md bg-slate-50 px-3 py-6 text-center text-sm text-slate-500">No users match this search.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table aria-label="Users" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-3">Username</th>
            <th className="py-2 pr-3">Name</th>
            <th className="py-2 pr-3">Email</th>
            <th className="py-2 pr-3">Access level</th>
            <th className="py-2 pr-3">Status</th>
            <th className="py-2 pr-3">Last login</th>
            <th className="py-2 text-right">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-b border-slate-100 align-top">
              <td className="py-2 pr-3 font-medium">
                {u.username}
                {u.id === currentUserId && " "}
                {u.id === currentUserId && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}
              </td>
              <td className="py-2 pr-3">{u.name}</td>
              <td className="py-2 pr-3">{u.email}</td>
              <td className="py-2 pr-3">{ACCESS_LEVEL_LABEL[u.accessLevel]}</td>
              <td className="py-2 pr-3">
                {u.isActive ? (
                  <span className="rounded bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800">Active</span>
                ) : (
                  <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">Deactivated</span>
                )}
              </td>
              <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{lastLogin(u.lastLoginAt)}</td>
              <td className="py-2">
                <UserRowActions user={u} actions={actions} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
