"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

interface Item {
  href: string;
  label: string;
}

/** For administrators, and for users an administrator marked as developers. */
const DEVELOPER_CONSOLE = { title: "Developer Console", items: [{ href: "/developer-console", label: "Integrations" }] };

const ADMIN_SECTIONS: { title: string; items: Item[] }[] = [
  {
    title: "Setup › System",
    items: [
      { href: "/setup/system/customer-info", label: "Customer Info" },
      { href: "/setup/system/sso", label: "Single Sign-On (SSO)" },
      { href: "/setup/system/security", label: "Security" },
      { href: "/setup/system/oauth2-applications", label: "OAuth2 Applications" },
    ],
  },
  { title: "Setup", items: [{ href: "/setup/users", label: "Users" }] },
  DEVELOPER_CONSOLE,
  { title: "Monitoring", items: [{ href: "/audit-log", label: "Audit log" }] },
];

const ACCOUNT: Item[] = [{ href: "/account", label: "My account" }];

export function ConsoleNav({ isAdmin, developer }: { isAdmin: boolean; developer: boolean }) {
  const path = usePathname();
  const you = { title: "You", items: ACCOUNT };
  const sections = isAdmin ? [...ADMIN_SECTIONS, you] : developer ? [DEVELOPER_CONSOLE, you] : [you];
  return (
    <nav aria-label="Console" className="space-y-5 px-3 py-4 text-sm">
      {sections.map((s) => (
        <div key={s.title}>
          <div className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">{s.title}</div>
          <ul>
            {s.items.map((i) => {
              const active = path === i.href || path.startsWith(i.href + "/");
              return (
                <li key={i.href}>
                  <Link
                    href={i.href}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded-md px-2 py-1.5 ${active ? "bg-blue-50 font-medium text-blue-800" : "text-slate-700 hover:bg-slate-100"}`}
                  >
                    {i.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
