/**
 * The settings an administrator gives an OAuth2 application, validated once for create and edit.
 * Web and single-page apps need at least one redirect URL; machine-to-machine apps have none.
 */
import { z } from "zod";
import { InvalidRequest } from "../../errors";
import {
  DEFAULT_TOKEN_TYPE,
  emailProblem,
  linkProblem,
  logoDataUrl,
  MAX_REDIRECT_URIS,
  MAX_REFRESH_REUSE_SECONDS,
  redirectUriProblem,
  REFRESH_ABSOLUTE_EXPIRIES,
  REFRESH_INACTIVITY_EXPIRIES,
  usesRedirects,
} from "../../domain/oauth-app";
import type { OAuthAppType, RefreshAbsoluteExpiry, RefreshInactivityExpiry, StoredOAuthApp } from "../../storage/types";

const absolute = Object.keys(REFRESH_ABSOLUTE_EXPIRIES) as [RefreshAbsoluteExpiry, ...RefreshAbsoluteExpiry[]];
const inactivity = Object.keys(REFRESH_INACTIVITY_EXPIRIES) as [RefreshInactivityExpiry, ...RefreshInactivityExpiry[]];

export const OAuthAppSettingsInput = z.object({
  name: z.string().trim().min(1, "Give the application a name.").max(100, "The name can be at most 100 characters."),
  description: z.string().trim().max(1000, "The description can be at most 1,000 characters.").default(""),
  tokenType: z.enum(["sessionID", "Bearer"]).optional(),
  redirectUris: z.array(z.string().trim()).max(MAX_REDIRECT_URIS, `At most ${MAX_REDIRECT_URIS} redirect URLs.`).default([]),
  refreshRotation: z.boolean().default(true),
  refreshAbsoluteExpiry: z.enum(absolute).default("90d"),
  refreshInactivityExpiry: z.enum(inactivity).default("30d"),
  refreshReuseSeconds: z.number().int().min(0).max(MAX_REFRESH_REUSE_SECONDS, `The reuse interval can be at most ${MAX_REFRESH_REUSE_SECONDS} seconds.`).default(0),
  developerName: z.string().trim().max(200, "The developer name can be at most 200 characters.").default(""),
  developerEmail: z.string().trim().max(320).default(""),
  privacyPolicyUrl: z.string().trim().max(2000).default(""),
  /** New logo bytes, null to remove the logo, absent to keep it. */
  logo: z.custom<Uint8Array>((v) => v instanceof Uint8Array, "The logo must be a file.").nullable().optional(),
});
export type OAuthAppSettings = z.input<typeof OAuthAppSettingsInput>;

type Settings = Omit<StoredOAuthApp, "clientId" | "type" | "createdBy" | "createdAt" | "updatedAt" | "lastUsedAt" | "logo"> & {
  logo: string | null | undefined;
};

function firstIssue(e: z.ZodError): string {
  const issue = e.issues[0];
  return issue?.message ?? "The application settings are not valid.";
}

/** Checks and normalises the settings of an app of `type`; throws InvalidRequest with the first problem. */
export function readAppSettings(type: OAuthAppType, input: OAuthAppSettings): Settings {
  const parsed = OAuthAppSettingsInput.safeParse(input);
  if (!parsed.success) throw new InvalidRequest(firstIssue(parsed.error));
  const s = parsed.data;
  const redirectUris = [...new Set(s.redirectUris.filter((u) => u !== ""))];
  if (usesRedirects(type)) {
    if (redirectUris.length === 0) throw new InvalidRequest("Add at least one redirect URL: users are sent back to it after they sign in.");
    for (const uri of redirectUris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new InvalidRequest(problem);
    }
  } else if (redirectUris.length > 0) {
    throw new InvalidRequest("A machine-to-machine application has no redirect URLs: it signs JWTs instead of sending users to sign in.");
  }
  const email = emailProblem(s.developerEmail);
  if (email) throw new InvalidRequest(email);
  const privacy = linkProblem(s.privacyPolicyUrl, "The privacy policy URL");
  if (privacy) throw new InvalidRequest(privacy);
  let logo: string | null | undefined = s.logo === undefined ? undefined : null;
  if (s.logo) {
    const read = logoDataUrl(s.logo);
    if ("problem" in read) throw new InvalidRequest(read.problem);
    logo = read.dataUrl;
  }
  return {
    name: s.name,
    description: s.description,
    tokenType: s.tokenType ?? DEFAULT_TOKEN_TYPE[type],
    redirectUris,
    refreshRotation: s.refreshRotation,
    refreshAbsoluteExpiry: s.refreshAbsoluteExpiry,
    refreshInactivityExpiry: s.refreshInactivityExpiry,
    refreshReuseSeconds: s.refreshReuseSeconds,
    developerName: s.developerName,
    developerEmail: s.developerEmail,
    privacyPolicyUrl: s.privacyPolicyUrl,
    logo,
  };
}
