import { ACCESS_LEVEL_LABEL, type UserRow } from "./types";

export const INPUT = "w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm";

/** The fields a user is made of, shared by the create form and the edit dialog. */
export function UserFields({ user }: { user?: Pick<UserRow, "username" | "name" | "email" | "accessLevel" | "isDeveloper"> }) {
  return (
    <>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Username</span>
        <input name="username" required maxLength={100} autoComplete="off" defaultValue={user?.username} className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Name</span>
        <input name="name" required maxLength={255} autoComplete="off" defaultValue={user?.name} className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Email</span>
        <input name="email" type="email" maxLength={255} autoComplete="off" defaultValue={user?.email} className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Access level</span>
        <select name="accessLevel" defaultValue={user?.accessLevel ?? "user"} className={INPUT}>
          {(["user", "admin"] as const).map((level) => (
            <option key={level} value={level}>
              {ACCESS_LEVEL_LABEL[level]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-start gap-2 text-sm md:col-span-2">
        <input name="isDeveloper" type="checkbox" value="on" defaultChecked={user?.isDeveloper ?? false} className="mt-1" />
        <span>
          <span className="block font-medium">Developer (may use the Developer Console)</span>
          <span className="block text-xs text-slate-500">Gets local development tokens there. System Administrators always may.</span>
        </span>
      </label>
    </>
  );
}
