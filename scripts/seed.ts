// npm run db:seed - migrate and run the first-start seed (customer, settings, first administrator).
// Safe to repeat: an instance that has users is left as it is.
import { ConfigError } from "../lib/env";
import { SecretMismatch } from "../lib/services/bootstrap";
import { createRuntime, printAdminLogin } from "../lib/runtime";

createRuntime()
  .then((rt) => {
    if (rt.bootstrap.createdAdmin) printAdminLogin(rt);
    else console.log(`Database ${rt.settings.databasePath} already has users; nothing to seed.`);
    return rt.store.close();
  })
  .catch((e) => {
    console.error(e instanceof ConfigError || e instanceof SecretMismatch ? e.message : e);
    process.exit(1);
  });
