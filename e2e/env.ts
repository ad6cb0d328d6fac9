/** Shared e2e settings: the test server's address and its seeded administrator. */
export const PORT = Number(process.env.E2E_PORT ?? 3210);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
export const API = `${BASE_URL}/attask/api/v20.0`;
export const ADMIN = { username: "e2e-admin", password: "e2e-admin-password" };
/** The test server's database folder (fresh every run). */
export const DB_DIR = process.env.E2E_DB_DIR ?? `./data/e2e-${PORT}`;
export const DB_PATH = `${DB_DIR}/keyward.db`;
