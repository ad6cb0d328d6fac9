"use client";

import Image from "next/image";
import { useEffect, useId, useState } from "react";
import { INPUT } from "@/components/users/user-fields";
import {
  DEFAULT_TOKEN_TYPE,
  MAX_LOGO_BYTES,
  MAX_REFRESH_REUSE_SECONDS,
  REFRESH_ABSOLUTE_EXPIRIES,
  REFRESH_INACTIVITY_EXPIRIES,
  TOKEN_TYPES,
  usesRedirects,
} from "@/lib/domain/oauth-app";
import type { OAuthAppType, OAuthTokenType, RefreshAbsoluteExpiry, RefreshInactivityExpiry } from "@/lib/storage/types";
import { TOKEN_TYPE_HINT } from "./labels";

/** The settings an administrator edits, as the form shows them (the same for create and edit). */
export interface AppSettingsValues {
  name: string;
  description: string;
  tokenType: OAuthTokenType;
  redirectUris: string[];
  refreshRotation: boolean;
  refreshAbsoluteExpiry: RefreshAbsoluteExpiry;
  refreshInactivityExpiry: RefreshInactivityExpiry;
  refreshReuseSeconds: number;
  developerName: string;
  developerEmail: string;
  privacyPolicyUrl: string;
  /** The current logo as a data: URL. */
  logo: string | null;
}

export function defaultSettings(type: OAuthAppType): AppSettingsValues {
  return {
    name: "",
    description: "",
    tokenType: DEFAULT_TOKEN_TYPE[type],
    redirectUris: [],
    refreshRotation: true,
    refreshAbsoluteExpiry: "90d",
    refreshInactivityExpiry: "30d",
    refreshReuseSeconds: 0,
    developerName: "",
    developerEmail: "",
    privacyPolicyUrl: "",
    logo: null,
  };
}

const LOGO_TYPES = "image/png,image/jpeg,image/gif,image/webp";
const FILE_INPUT =
  "text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-100";

function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: React.ReactNode;
  children: (ids: { id: string; hintId: string | undefined }) => React.ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="text-sm">
      <label htmlFor={id} className="mb-1 block font-medium">
        {label}
      </label>
      {children({ id, hintId: hint ? hintId : undefined })}
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}

/**
 * The fields of an application's settings, inside a form the caller owns: name, description and
 * token type for every type; for apps that sign users in, also redirect URLs, refresh-token rules,
 * the logo and the developer details their consent page shows.
 */
export function AppSettingsFields({ type, values }: { type: OAuthAppType; values?: AppSettingsValues }) {
  const v = values ?? defaultSettings(type);
  const redirects = usesRedirects(type);
  return (
    <div className="space-y-4">
      <Field label="Name">{({ id }) => <input id={id} name="name" required maxLength={100} autoComplete="off" defaultValue={v.name} className={INPUT} />}</Field>
      <Field label="Description">
        {({ id }) => <textarea id={id} name="description" maxLength={1000} rows={2} defaultValue={v.description} className={INPUT} />}
      </Field>
      <Field label="Token type in responses" hint={TOKEN_TYPE_HINT}>
        {({ id, hintId }) => (
          <select id={id} name="tokenType" aria-describedby={hintId} defaultValue={v.tokenType} className={INPUT}>
            {TOKEN_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
      </Field>
      {redirects && <RedirectingFields v={v} />}
    </div>
  );
}

function RedirectingFields({ v }: { v: AppSettingsValues }) {
  const rotationHint = useId();
  return (
    <>
      <Field
        label="Redirect URLs"
        hint="One URL per line. Each must match exactly what the app sends: https, or http only for 127.0.0.1, [::1] or localhost."
      >
        {({ id, hintId }) => (
          <textarea
            id={id}
            name="redirectUris"
            rows={3}
            aria-describedby={hintId}
            defaultValue={v.redirectUris.join("\n")}
            placeholder="https://app.example.com/oauth/callback"
            spellCheck={false}
            className={`${INPUT} font-mono`}
          />
        )}
      </Field>
      <fieldset className="space-y-4 rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium">Refresh tokens</legend>
        <div className="text-sm">
          <label className="flex items-center gap-2">
            <input type="checkbox" name="refreshRotation" value="on" defaultChecked={v.refreshRotation} aria-describedby={rotationHint} />
            <span className="font-medium">Rotate refresh tokens</span>
          </label>
          <p id={rotationHint} className="mt-1 pl-6 text-xs text-slate-500">
            Each use of a refresh token returns a new one, and the old one stops working.
          </p>
        </div>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Field label="Refresh tokens expire after" hint="Counted from the user's sign-in, however often the token is used.">
            {({ id, hintId }) => (
              <select id={id} name="refreshAbsoluteExpiry" aria-describedby={hintId} defaultValue={v.refreshAbsoluteExpiry} className={INPUT}>
                {Object.entries(REFRESH_ABSOLUTE_EXPIRIES).map(([value, { label }]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Refresh tokens expire when unused for" hint="A token not used for this long stops working.">
            {({ id, hintId }) => (
              <select id={id} name="refreshInactivityExpiry" aria-describedby={hintId} defaultValue={v.refreshInactivityExpiry} className={INPUT}>
                {Object.entries(REFRESH_INACTIVITY_EXPIRIES).map(([value, { label }]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field
          label="Reuse interval (seconds)"
          hint={`With rotation on, the previous refresh token is still accepted for this long, for clients that retry. 0 to ${MAX_REFRESH_REUSE_SECONDS}.`}
        >
          {({ id, hintId }) => (
            <input
              id={id}
              name="refreshReuseSeconds"
              type="number"
              min={0}
              max={MAX_REFRESH_REUSE_SECONDS}
              step={1}
              required
              aria-describedby={hintId}
              defaultValue={v.refreshReuseSeconds}
              className={`${INPUT} max-w-32`}
            />
          )}
        </Field>
      </fieldset>
      <fieldset className="space-y-4 rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium">Shown to users when they approve access</legend>
        {/* A new element once the saved logo changes, so a saved file is no longer in the picker. */}
        <LogoField key={v.logo ? `${v.logo.length}:${v.logo.slice(-24)}` : "none"} current={v.logo} />
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Field label="Developer name">
            {({ id }) => <input id={id} name="developerName" maxLength={200} autoComplete="off" defaultValue={v.developerName} className={INPUT} />}
          </Field>
          <Field label="Developer email">
            {({ id }) => (
              <input id={id} name="developerEmail" type="email" maxLength={320} autoComplete="off" defaultValue={v.developerEmail} className={INPUT} />
            )}
          </Field>
        </div>
        <Field label="Privacy policy URL" hint="https, or http only for 127.0.0.1, [::1] or localhost.">
          {({ id, hintId }) => (
            <input
              id={id}
              name="privacyPolicyUrl"
              type="url"
              maxLength={2000}
              autoComplete="off"
              aria-describedby={hintId}
              defaultValue={v.privacyPolicyUrl}
              placeholder="https://example.com/privacy"
              className={INPUT}
            />
          )}
        </Field>
      </fieldset>
    </>
  );
}

/** The logo: a preview of the current or chosen image, a file picker and, when there is one, Remove. */
function LogoField({ current }: { current: string | null }) {
  const id = useId();
  const hintId = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  const [remove, setRemove] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // The object URL of a chosen file lives as long as it is previewed.
  useEffect(() => () => {
    if (chosen) URL.revokeObjectURL(chosen);
  }, [chosen]);

  function onChange(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setProblem(null);
    if (!file) {
      setChosen(null);
      return;
    }
    if (file.size > MAX_LOGO_BYTES) {
      e.target.value = "";
      setChosen(null);
      setProblem(`The logo can be at most ${MAX_LOGO_BYTES / 1024} KiB (this one is ${Math.ceil(file.size / 1024)} KiB).`);
      return;
    }
    setRemove(false);
    setChosen(URL.createObjectURL(file));
  }

  const preview = chosen ?? (remove ? null : current);
  return (
    <div className="text-sm">
      <label htmlFor={id} className="mb-1 block font-medium">
        Logo
      </label>
      <div className="flex flex-wrap items-center gap-4">
        <div className="flex h-16 w-16 items-center justify-center overflow-hidden rounded-md border border-slate-200 bg-slate-50">
          {preview ? (
            <Image src={preview} alt="Logo preview" width={64} height={64} unoptimized data-testid="logo-preview" className="h-16 w-16 object-contain" />
          ) : (
            <span className="text-xs text-slate-400">No logo</span>
          )}
        </div>
        <div className="space-y-2">
          <input id={id} type="file" name="logo" accept={LOGO_TYPES} aria-describedby={hintId} onChange={onChange} className={FILE_INPUT} />
          {current && (
            <label className="flex items-center gap-2">
              <input type="checkbox" name="removeLogo" value="on" checked={remove && !chosen} disabled={Boolean(chosen)} onChange={(e) => setRemove(e.target.checked)} />
              <span>Remove the logo</span>
            </label>
          )}
        </div>
      </div>
      <p id={hintId} className="mt-1 text-xs text-slate-500">
        PNG, JPEG, GIF or WebP, at most {MAX_LOGO_BYTES / 1024} KiB.
      </p>
      {problem && (
        <p role="alert" className="mt-1 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {problem}
        </p>
      )}
    </div>
  );
}
