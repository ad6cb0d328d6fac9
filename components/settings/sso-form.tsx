"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { SaveBar } from "@/components/ui/save-bar";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;
type SsoType = "none" | "saml2";

export function SsoForm({ values, save }: { values: { ssoType: SsoType; ssoOnly: boolean }; save: Action }) {
  const [type, setType] = useState<SsoType>(values.ssoType);
  const [only, setOnly] = useState(values.ssoOnly);
  const [result, dispatch, busy] = useActionState(save, null);
  const saml = type === "saml2";
  return (
    <form action={dispatch} aria-label="Single sign-on settings" className="space-y-5 text-sm">
      <label className="block">
        <span className="mb-1 block font-medium">Type</span>
        <select
          name="ssoType"
          value={type}
          onChange={(e) => {
            const next = e.target.value as SsoType;
            setType(next);
            if (next !== "saml2") setOnly(false);
          }}
          className="rounded-md border border-slate-300 px-3 py-1.5"
        >
          <option value="none">None</option>
          <option value="saml2">SAML 2.0</option>
        </select>
      </label>
      <div>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="ssoOnly" checked={only} disabled={!saml} onChange={(e) => setOnly(e.target.checked)} />
          <span className={`font-medium ${saml ? "" : "text-slate-400"}`}>Only allow SAML 2.0 authentication</span>
        </label>
        <div className="mt-2 space-y-1 pl-6 text-slate-600">
          <p>
            While this is on, users who are not System Administrators cannot use password-based API calls: <code>/login</code>,{" "}
            <code>getApiKey</code> and <code>generateApiKey</code> with a username and password are refused. API keys they already
            have keep working. System Administrators keep password access.
          </p>
          <p>To let a user create a key with their password, turn this off, make the call, then turn it back on.</p>
        </div>
      </div>
      <SaveBar busy={busy} result={result} />
    </form>
  );
}
