/** The shape of the seeded state every case meets: how many of each seeded thing, and the accounts, sessions, keys and projects. */

/** How many throwaway users, projects each of the admin and the user, and throwaway projects are seeded. */
export const SCRATCH_USERS = 3;
export const PROJECTS_EACH = 3;
export const SCRATCH_PROJECTS = 4;

export interface Account {
  id: string;
  username: string;
  password: string;
  accessLevel: "admin" | "user";
  session: string;
}

/** A certificate as clients send it: PEM, and base64 DER. */
export interface CertificateText {
  pem: string;
  der64: string;
}

export interface World {
  admin: Account;
  user: Account & { apiKey: string };
  scratch: { id: string; username: string; password: string }[];
  projects: { admin: string[]; user: string[]; scratch: string[] };
  expiredSession: string;
  loggedOutSession: string;
  staleApiKey: string;
  clearedApiKey: string;
  /** The accepted certificates (current and next), one nobody uploaded, and a private key. */
  certificates: { current: CertificateText; next: CertificateText; stranger: CertificateText; privateKeyPem: string };
}
