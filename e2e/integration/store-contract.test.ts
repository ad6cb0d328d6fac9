import { storeContract } from "../../lib/storage/contract";
import { openSqliteTestStore } from "../../lib/storage/sqlite/testing";

storeContract("SQLite", openSqliteTestStore);
