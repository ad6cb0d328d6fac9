/** Users, with `users.byId` cached under `user:<id>`; each write evicts the user it changed. */
import { and, count, eq, or, sql } from "drizzle-orm";
import { users } from "../../../db/schema";
import type { Store, UserWithSecret } from "../types";
import type { Scope } from "./context";
import { escapeLike } from "./object-sql";
import { cacheKeys } from "./read-cache";

/** The one mapping from a stored user row to the port's user. */
export function rowToUser(r: typeof users.$inferSelect): UserWithSecret {
  return { ...r, lockedUntil: r.lockedUntil ?? null, lastLoginAt: r.lastLoginAt ?? null };
}

export function usersAggregate({ db, op, write, cached }: Scope): Store["users"] {
  const byId = db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .prepare();
  return {
    byId: op((id) =>
      cached(cacheKeys.user(id), () => {
        const r = byId.get({ id });
        return r ? rowToUser(r) : null;
      }),
    ),
    byUsername: op((username) => {
      // Usernames are unique regardless of case (the schema's NOCASE index), and found the same way.
      const r = db
        .select()
        .from(users)
        .where(sql`${users.username} = ${username} COLLATE NOCASE`)
        .get();
      return r ? rowToUser(r) : null;
    }),
    list: op(({ search, limit, offset }) => {
      const term = search?.trim();
      // Technical accounts are service credentials' principals, listed with their credentials.
      const person = eq(users.kind, "person");
      const cond = term
        ? and(person, or(...[users.username, users.name, users.email].map((c) => sql`${c} LIKE ${"%" + escapeLike(term) + "%"} ESCAPE '\\'`)))
        : person;
      const rows = db.select().from(users).where(cond).orderBy(sql`${users.username} COLLATE NOCASE`).limit(limit).offset(offset).all();
      const total = db.select({ n: count() }).from(users).where(cond).get()?.n ?? 0;
      return {
        users: rows.map((r) => {
          const { passwordHash: _omit, ...u } = rowToUser(r);
          return u;
        }),
        total,
      };
    }),
    countAdmins: op((opts) => {
      const admin = and(eq(users.accessLevel, "admin"), eq(users.kind, "person"));
      const cond = opts?.activeOnly ? and(admin, eq(users.isActive, true)) : admin;
      return db.select({ n: count() }).from(users).where(cond).get()?.n ?? 0;
    }),
    create: write((touched, u) => {
      touched.entry(cacheKeys.user(u.id));
      db.insert(users).values({ ...u, updatedAt: u.createdAt }).run();
    }),
    update: write((touched, id, patch) => {
      touched.entry(cacheKeys.user(id));
      db.update(users).set(patch).where(eq(users.id, id)).run();
    }),
  };
}
