/**
 * Seeding the world through the API: accounts, sessions (live, expired, logged out), API keys
 * (current, stale, cleared) and projects; and, through the services, the X.509 login certificates.
 */
import { actorOf } from "../../../lib/domain/actor";
import { makeCertificate, type GeneratedCertificate } from "../../../lib/domain/x509-fixtures";
import { uploadCertificate } from "../../../lib/services/x509/upload";
import { ADMIN, type TestRuntime } from "../../../lib/testing/runtime";
import { call, keyAction, must, mustLogin, newProject, REPAIR_IP } from "./setup-api";
import { PROJECTS_EACH, SCRATCH_PROJECTS, SCRATCH_USERS, type CertificateText, type World } from "./world";

const asText = (c: GeneratedCertificate): CertificateText => ({ pem: c.pem, der64: Buffer.from(c.der).toString("base64") });

/** A current and a next certificate uploaded (certificate login stays off), and one nobody uploaded. */
async function seedCertificates(rt: TestRuntime): Promise<World["certificates"]> {
  const [current, next, stranger] = await Promise.all([makeCertificate(), makeCertificate({ keyAlgorithm: "RSA" }), makeCertificate()]);
  const admin = (await rt.store.users.byUsername(ADMIN.username))!;
  const ctx = { rt, actor: actorOf(admin, "system"), meta: { ip: REPAIR_IP } };
  for (const [slot, c] of [["current", current], ["next", next]] as const) {
    await uploadCertificate(ctx, { slot, fileName: `${slot}.pem`, bytes: new TextEncoder().encode(c.pem) });
  }
  return { current: asText(current), next: asText(next), stranger: asText(stranger), privateKeyPem: current.privateKeyPem };
}

export async function seedWorld(rt: TestRuntime): Promise<World> {
  let adminSession = await mustLogin(ADMIN.username, ADMIN.password);
  const found = await call(`/user/search?username=${ADMIN.username}`, { headers: { sessionID: adminSession } });
  const adminId = (found.body as { data: { ID: string }[] }).data[0]?.ID;
  if (!adminId) throw new Error("seeding: the administrator was not found");
  const newUser = async (username: string, password: string) =>
    String((await must("/user", { headers: { sessionID: adminSession }, json: { username, name: `Fuzz ${username}`, emailAddr: `${username}@example.com`, password, accessLevel: "user" } })).ID);
  const userPassword = "fuzz-user-password-7";
  const userId = await newUser("fuzz.user", userPassword);
  const scratch = [];
  for (let i = 0; i < SCRATCH_USERS; i++) {
    const username = `scratch.${i}`;
    const password = `scratch-password-${i}`;
    scratch.push({ id: await newUser(username, password), username, password });
  }
  // A session left idle past the limit, then fresh sessions for everyone.
  const expiredSession = await mustLogin("fuzz.user", userPassword);
  rt.clock.advance(rt.settings.sessionIdleMs + 60_000);
  adminSession = await mustLogin(ADMIN.username, ADMIN.password);
  const userSession = await mustLogin("fuzz.user", userPassword);
  const loggedOutSession = await mustLogin("fuzz.user", userPassword);
  await must("/logout", { headers: { sessionID: loggedOutSession } });
  // A key replaced by a newer one, and a key removed by clearApiKey.
  const staleApiKey = await keyAction("generateApiKey", "fuzz.user", userPassword);
  const apiKey = await keyAction("generateApiKey", "fuzz.user", userPassword);
  const [keyless] = scratch;
  if (!keyless) throw new Error("seeding: no throwaway user");
  const clearedApiKey = await keyAction("generateApiKey", keyless.username, keyless.password);
  await must(`/user/${keyless.id}/clearApiKey`, { method: "PUT", headers: { sessionID: adminSession } });

  const projects: World["projects"] = { admin: [], user: [], scratch: [] };
  for (let i = 0; i < PROJECTS_EACH; i++) {
    projects.admin.push(await newProject(adminSession, `Admin project ${i}`));
    projects.user.push(await newProject(userSession, `User project ${i}`));
  }
  for (let i = 0; i < SCRATCH_PROJECTS; i++) projects.scratch.push(await newProject(userSession, `Scratch project ${i}`));

  return {
    admin: { id: adminId, username: ADMIN.username, password: ADMIN.password, accessLevel: "admin", session: adminSession },
    user: { id: userId, username: "fuzz.user", password: userPassword, accessLevel: "user", session: userSession, apiKey },
    scratch,
    projects,
    expiredSession,
    loggedOutSession,
    staleApiKey,
    clearedApiKey,
    certificates: await seedCertificates(rt),
  };
}
