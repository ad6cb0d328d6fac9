// npm run db:migrate - apply pending migrations to the configured database (the server also does this on start).
import { openDatabase } from "../db/client";
import { ConfigError, loadSettings } from "../lib/env";

try {
  const settings = loadSettings();
  const { sqlite } = openDatabase(settings.databasePath);
  const applied = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  sqlite.close();
  console.log(`Database ${settings.databasePath} is up to date (${applied.n} migrations applied).`);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}
