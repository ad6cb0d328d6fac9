const LINK = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100";

function href(q: string, page: number): string {
  const p = new URLSearchParams();
  if (q) p.set("q", q);
  if (page > 1) p.set("page", String(page));
  const s = p.toString();
  return `/setup/users${s ? `?${s}` : ""}`;
}

/** "Showing 51–100 of 123 users" with Previous/Next links that keep the search. */
export function UsersPager({ q, page, pageSize, shown, total }: { q: string; page: number; pageSize: number; shown: number; total: number }) {
  const first = (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + shown;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav aria-label="User pages" className="flex flex-wrap items-center gap-2 text-sm">
      <span data-testid="users-total" className="text-slate-600">
        {total === 0
          ? "No users"
          : shown === 0
            ? `No users on page ${page}; there are ${total} in all`
            : `Showing ${first}–${last} of ${total} ${total === 1 ? "user" : "users"}`}
      </span>
      <span className="ml-auto flex gap-2">
        {page > 1 && (
          <a href={href(q, Math.min(page - 1, pages))} className={LINK}>
            Previous
          </a>
        )}
        {page < pages && (
          <a href={href(q, page + 1)} className={LINK}>
            Next
          </a>
        )}
      </span>
    </nav>
  );
}
