/** The table of an app's secrets or keys: the empty-state text when there are none, else the rows under their headings. */
export function CredentialTable({ label, empty, columns, count, children }: { label: string; empty: string; columns: string[]; count: number; children: React.ReactNode }) {
  if (count === 0) return <p className="rounded-md bg-slate-50 px-3 py-4 text-center text-slate-500">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table aria-label={label} className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c, i) => (
              <th key={c} className={i === columns.length - 1 ? "py-2 text-right" : "py-2 pr-3"}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
