import { X509Certificate } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { makeCertificate, makeCertificateRequest, type GeneratedCertificate } from "../../lib/domain/x509-fixtures";
import { ADMIN } from "../env";
import { restLoginFresh, signIn } from "./helpers";

const PAGE = "/setup/system/customer-info";
const UNTRUSTED = "Untrusted request. Please contact your system administrator and attach certificate.";
const MIME = "application/x-x509-ca-cert";
const DAY = 86_400_000;

const LABELS = [
  "Subject Common Name",
  "Subject Organization",
  "Subject Organization Unit",
  "Issuer Common Name",
  "Issuer Organization",
  "Issuer Organization Unit",
  "Serial Number",
  "Issue Date",
  "Expiration Date",
  "SHA-256 fingerprint",
];

let ca: GeneratedCertificate;
let client: GeneratedCertificate;

test.beforeAll(async () => {
  ca = await makeCertificate({
    subject: "CN=Keyward Test CA, O=Trust Services Ltd, OU=Issuing CA 1",
    serialNumber: "01",
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2040-01-01T00:00:00Z"),
    ca: true,
  });
  client = await makeCertificate({
    subject: "CN=API Client, O=Société Générale, OU=Platform, OU=API",
    issuedBy: ca,
    serialNumber: "c0ffee0123456789",
    notBefore: new Date("2025-01-02T03:04:05Z"),
    notAfter: new Date("2036-01-02T03:04:05Z"),
  });
});

const file = (name: string, content: string | Uint8Array) => ({
  name,
  mimeType: MIME,
  buffer: typeof content === "string" ? Buffer.from(content) : Buffer.from(content),
});

const section = (page: Page) => page.getByTestId("x509-settings");
/** The outcome of the last upload or removal (the login form has its own). */
const outcome = (page: Page) => page.getByTestId("certificate-result");
const loginForm = (page: Page) => page.getByRole("form", { name: "X.509 certificate login" });
const current = (page: Page) => page.getByTestId("certificate-current");
const next = (page: Page) => page.getByTestId("certificate-next");

async function openAsAdmin(page: Page): Promise<void> {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { name: "X.509 certificate" })).toBeVisible();
}

/** Uploads through the file picker labelled `label` and waits for the result. */
async function upload(page: Page, label: string, f: ReturnType<typeof file>): Promise<void> {
  const form = section(page).getByRole("form", { name: `Upload ${label.toLowerCase()}` });
  await form.getByLabel(label, { exact: true }).setInputFiles(f);
  await form.getByRole("button", { name: "Upload" }).click();
}

async function expectUploaded(page: Page, fileName: string, slot: "current" | "next"): Promise<void> {
  await expect(outcome(page).getByRole("status")).toHaveText(`${fileName} was uploaded as the ${slot} certificate.`);
  await expect(page.getByTestId(`certificate-${slot}-file`)).toHaveText(fileName);
}

async function setLogin(page: Page, enabled: boolean): Promise<void> {
  await loginForm(page).getByLabel("Enable X.509 certificate").setChecked(enabled);
  await loginForm(page).getByRole("button", { name: "Save" }).click();
  await expect(loginForm(page).getByRole("status")).toContainText("Settings saved.");
}

async function removeSlot(page: Page, slot: "current" | "next"): Promise<void> {
  await page.getByTestId(`certificate-${slot}`).getByRole("button", { name: "Remove", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Remove the ${slot} certificate?` });
  await dialog.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(outcome(page).getByRole("status")).toHaveText(`The ${slot} certificate was removed.`);
}

/** The View details dialog's rows as [label, value] pairs, closing it afterwards. */
async function detailsOf(page: Page, slot: "current" | "next"): Promise<string[][]> {
  await page.getByTestId(`certificate-${slot}`).getByRole("button", { name: "View details" }).click();
  const dialog = page.getByRole("dialog", { name: "Certificate details" });
  await expect(dialog).toBeVisible();
  const labels = await dialog.locator("dt").allTextContents();
  const values = await dialog.locator("dd").allTextContents();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  return labels.map((l, i) => [l, values[i] ?? ""]);
}

const passwordLogin = () => restLoginFresh({ username: ADMIN.username, password: ADMIN.password });
const certificateLogin = (pem: string) => restLoginFresh({ username: ADMIN.username, password: ADMIN.password, apiCertificate: pem });

async function expectUntrusted(r: { status: number; body: any }): Promise<void> {
  expect(r.status, JSON.stringify(r.body)).toBe(500);
  expect(r.body.error.message).toBe(UNTRUSTED);
}

async function expectSession(r: { status: number; body: any }): Promise<void> {
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.data.sessionID).toEqual(expect.any(String));
}

test.describe("Customer Info > API Key Settings > X.509 certificate", () => {
  test.afterEach(async ({ page }) => {
    // Every other test logs in with a password: leave the instance with X.509 off and no certificates.
    await page.goto(PAGE);
    if (page.url().includes("/signin")) await openAsAdmin(page);
    if (await loginForm(page).getByLabel("Enable X.509 certificate").isChecked()) await setLogin(page, false);
    if (await next(page).count()) await removeSlot(page, "next");
    if (await current(page).count()) await removeSlot(page, "current");
    await expect(section(page).getByText("No certificate is uploaded.")).toBeVisible();
    await expectSession(await passwordLogin());
  });

  test("upload shows every detail; enabled, /login needs the certificate", async ({ page }) => {
    await openAsAdmin(page);
    await expect(section(page).getByText("No certificate is uploaded.")).toBeVisible();
    await expect(loginForm(page).getByLabel("Enable X.509 certificate")).not.toBeChecked();
    await expect(section(page).getByLabel("Certificate file", { exact: true })).toHaveAttribute("accept", ".crt,.cer,.pem");
    await expectSession(await passwordLogin());

    // The server refuses to turn it on without a certificate, and says why.
    await loginForm(page).getByLabel("Enable X.509 certificate").check();
    await loginForm(page).getByRole("button", { name: "Save" }).click();
    await expect(loginForm(page).getByRole("alert")).toHaveText("Upload a certificate before turning on X.509 certificate login.");
    await page.reload();
    await expect(loginForm(page).getByLabel("Enable X.509 certificate")).not.toBeChecked();
    await expectSession(await passwordLogin());

    await upload(page, "Certificate file", file("client.crt", client.pem));
    await expectUploaded(page, "client.crt", "current");
    await expect(section(page).getByRole("button", { name: "Add next certificate" })).toBeVisible();

    const expected = [
      ["Subject Common Name", "API Client"],
      ["Subject Organization", "Société Générale"],
      ["Subject Organization Unit", "Platform, API"],
      ["Issuer Common Name", "Keyward Test CA"],
      ["Issuer Organization", "Trust Services Ltd"],
      ["Issuer Organization Unit", "Issuing CA 1"],
      ["Serial Number", "C0FFEE0123456789"],
      ["Issue Date", "Jan 2, 2025, 03:04 UTC"],
      ["Expiration Date", "Jan 2, 2036, 03:04 UTC"],
      ["SHA-256 fingerprint", new X509Certificate(client.der).fingerprint256],
    ];
    expect(expected.map(([l]) => l)).toEqual(LABELS);
    expect(await detailsOf(page, "current")).toEqual(expected);

    // Uploaded but not enabled: passwords alone still work.
    await expectSession(await passwordLogin());

    await setLogin(page, true);
    await page.reload();
    await expect(loginForm(page).getByLabel("Enable X.509 certificate")).toBeChecked();
    await expect(page.getByTestId("certificate-current-file")).toHaveText("client.crt");
    expect(await detailsOf(page, "current")).toEqual(expected);
    await expect(page.getByTestId("certificate-expiry-warning")).toHaveCount(0);

    await expectUntrusted(await passwordLogin());
    await expectSession(await certificateLogin(client.pem));
    const other = await makeCertificate({ subject: "CN=API Client" });
    expect((await certificateLogin(other.pem)).status).not.toBe(200);

    // The last certificate cannot go while certificate login is on.
    await current(page).getByRole("button", { name: "Remove", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Remove the current certificate?" });
    await expect(dialog).toContainText("turn it off and save before removing its last certificate");
    await dialog.getByRole("button", { name: "Remove", exact: true }).click();
    await expect(outcome(page).getByRole("alert")).toHaveText("Turn off X.509 certificate login before removing its last certificate.");
    await expect(page.getByTestId("certificate-current-file")).toHaveText("client.crt");
    await expectSession(await certificateLogin(client.pem));

    await setLogin(page, false);
    await expectSession(await passwordLogin());
  });

  test("a self-signed certificate without O or OU shows dashes for the absent fields", async ({ page }) => {
    const bare = await makeCertificate({
      subject: "CN=bare-client",
      serialNumber: "0a1b",
      notBefore: new Date("2025-03-04T05:06:07Z"),
      notAfter: new Date("2035-03-04T05:06:07Z"),
    });
    await openAsAdmin(page);
    await upload(page, "Certificate file", file("bare.cer", bare.der));
    await expectUploaded(page, "bare.cer", "current");
    expect(await detailsOf(page, "current")).toEqual([
      ["Subject Common Name", "bare-client"],
      ["Subject Organization", "—"],
      ["Subject Organization Unit", "—"],
      ["Issuer Common Name", "bare-client"],
      ["Issuer Organization", "—"],
      ["Issuer Organization Unit", "—"],
      ["Serial Number", "0A1B"],
      ["Issue Date", "Mar 4, 2025, 05:06 UTC"],
      ["Expiration Date", "Mar 4, 2035, 05:06 UTC"],
      ["SHA-256 fingerprint", new X509Certificate(bare.der).fingerprint256],
    ]);
  });

  test("a private key, a CSR and an oversized file are refused clearly and change nothing", async ({ page }) => {
    const csr = await makeCertificateRequest("CN=API Client");
    await openAsAdmin(page);

    // With no certificate yet.
    await upload(page, "Certificate file", file("client.pem", client.privateKeyPem));
    await expect(outcome(page).getByRole("alert")).toContainText("This file contains a private key. A private key must never be uploaded");
    await expect(section(page).getByText("No certificate is uploaded.")).toBeVisible();
    await expect(current(page)).toHaveCount(0);

    await upload(page, "Certificate file", file("client.crt", client.pem));
    await expectUploaded(page, "client.crt", "current");
    await setLogin(page, true);
    const before = await detailsOf(page, "current");

    // Replacing the current certificate with things that are not certificates.
    await current(page).getByRole("button", { name: "Replace" }).click();
    await upload(page, "Replacement certificate file", file("key.pem", client.privateKeyPem));
    await expect(outcome(page).getByRole("alert")).toContainText("This file contains a private key.");
    await upload(page, "Replacement certificate file", file("request.pem", csr.pem));
    await expect(outcome(page).getByRole("alert")).toContainText("This file is a certificate signing request (CSR), not a certificate.");

    // Refused in the browser before anything is sent.
    const big = new Uint8Array(17 * 1024).fill(0x41);
    await section(page).getByLabel("Replacement certificate file", { exact: true }).setInputFiles(file("big.crt", big));
    await expect(outcome(page).getByRole("alert")).toContainText("This file is too large to be a certificate (17408 bytes; the limit is 16 KiB)");
    await expect(section(page).getByRole("form", { name: "Upload replacement certificate file" }).getByRole("button", { name: "Upload" })).toBeDisabled();

    await page.reload();
    await expect(page.getByTestId("certificate-current-file")).toHaveText("client.crt");
    await expect(next(page)).toHaveCount(0);
    expect(await detailsOf(page, "current")).toEqual(before);
    await expect(loginForm(page).getByLabel("Enable X.509 certificate")).toBeChecked();
    await expectSession(await certificateLogin(client.pem));
    await expectUntrusted(await passwordLogin());
  });

  test("Replace puts a new certificate in place of the current one", async ({ page }) => {
    const renewed = await makeCertificate({ subject: "CN=API Client renewed, O=Société Générale", issuedBy: ca });
    await openAsAdmin(page);
    await upload(page, "Certificate file", file("client.crt", client.pem));
    await expectUploaded(page, "client.crt", "current");
    await setLogin(page, true);
    await current(page).getByRole("button", { name: "Replace" }).click();
    await upload(page, "Replacement certificate file", file("renewed.pem", renewed.pem));
    await expectUploaded(page, "renewed.pem", "current");
    expect((await detailsOf(page, "current"))[0]).toEqual(["Subject Common Name", "API Client renewed"]);
    await expectSession(await certificateLogin(renewed.pem));
    expect((await certificateLogin(client.pem)).status).not.toBe(200);
  });

  test("rotation: the next certificate works alongside the current one and is promoted when the current one is removed", async ({ page }) => {
    const successor = await makeCertificate({ subject: "CN=API Client 2027, O=Société Générale, OU=Platform", issuedBy: ca });
    await openAsAdmin(page);
    await upload(page, "Certificate file", file("client.crt", client.pem));
    await expectUploaded(page, "client.crt", "current");
    await setLogin(page, true);

    await section(page).getByRole("button", { name: "Add next certificate" }).click();
    await upload(page, "Next certificate file", file("next.crt", successor.pem));
    await expectUploaded(page, "next.crt", "next");
    await expect(page.getByTestId("certificate-rotation-note")).toHaveText("Both certificates are accepted until one is removed.");
    await expect(section(page).getByRole("button", { name: "Add next certificate" })).toHaveCount(0);
    await expect(next(page).getByRole("button", { name: "Replace" })).toHaveCount(0);
    const nextDetails = await detailsOf(page, "next");
    expect(nextDetails.slice(0, 3)).toEqual([
      ["Subject Common Name", "API Client 2027"],
      ["Subject Organization", "Société Générale"],
      ["Subject Organization Unit", "Platform"],
    ]);
    expect(nextDetails[9]).toEqual(["SHA-256 fingerprint", new X509Certificate(successor.der).fingerprint256]);
    expect((await detailsOf(page, "current"))[0]).toEqual(["Subject Common Name", "API Client"]);

    await expectSession(await certificateLogin(client.pem));
    await expectSession(await certificateLogin(successor.pem));
    await expectUntrusted(await passwordLogin());

    // Cancel keeps both.
    await current(page).getByRole("button", { name: "Remove", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Remove the current certificate?" });
    await expect(dialog).toContainText("The next certificate (next.crt) becomes the current one.");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(next(page)).toBeVisible();

    await removeSlot(page, "current");
    await expect(page.getByTestId("certificate-current-file")).toHaveText("next.crt");
    await expect(next(page)).toHaveCount(0);
    await expect(page.getByTestId("certificate-rotation-note")).toHaveCount(0);
    await expect(section(page).getByRole("button", { name: "Add next certificate" })).toBeVisible();
    expect(await detailsOf(page, "current")).toEqual(nextDetails);
    await expectSession(await certificateLogin(successor.pem));
    expect((await certificateLogin(client.pem)).status).not.toBe(200);
  });

  test("an expired or soon-expiring certificate is flagged on Customer Info and on the console home", async ({ page }) => {
    const expired = await makeCertificate({
      subject: "CN=Old API Client",
      issuedBy: ca,
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2025-06-30T00:00:00Z"),
    });
    await openAsAdmin(page);
    // Nothing to flag: the home page goes straight to Customer Info.
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup\/system\/customer-info$/);
    await expect(page.getByTestId("certificate-expiry-warning")).toHaveCount(0);

    await upload(page, "Certificate file", file("old.crt", expired.pem));
    await expectUploaded(page, "old.crt", "current");
    const warning = page.getByTestId("certificate-expiry-warning");
    await expect(warning).toHaveAttribute("role", "alert");
    await expect(warning).toContainText("An API login certificate has expired");
    await expect(warning).toContainText("Current certificate old.crt: The API login certificate expired on 2025-06-30.");
    await expect(current(page)).toContainText("Expired");

    await page.goto("/");
    await expect(page).toHaveURL(/\/$/);
    await expect(warning).toContainText("Current certificate old.crt: The API login certificate expired on 2025-06-30.");
    await page.getByRole("link", { name: "Go to Customer Info" }).click();
    await expect(page).toHaveURL(/\/setup\/system\/customer-info$/);

    // Replaced by one that expires within 30 days: still flagged, as expiring soon.
    const soon = await makeCertificate({ subject: "CN=Short API Client", issuedBy: ca, notAfter: new Date(Date.now() + 10 * DAY + 3_600_000) });
    await current(page).getByRole("button", { name: "Replace" }).click();
    await upload(page, "Replacement certificate file", file("soon.crt", soon.pem));
    await expectUploaded(page, "soon.crt", "current");
    await expect(warning).toContainText("An API login certificate expires soon");
    await expect(warning).toContainText(/Current certificate soon\.crt: The API login certificate expires in 10 days, on \d{4}-\d{2}-\d{2}\./);
    await expect(current(page)).toContainText("Expires soon");
    await page.goto("/");
    await expect(page).toHaveURL(/\/$/);
    await expect(warning).toContainText("expires in 10 days");

    // A valid certificate clears the warning everywhere.
    await page.goto(PAGE);
    await current(page).getByRole("button", { name: "Replace" }).click();
    await upload(page, "Replacement certificate file", file("client.crt", client.pem));
    await expectUploaded(page, "client.crt", "current");
    await expect(warning).toHaveCount(0);
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup\/system\/customer-info$/);
  });
});
