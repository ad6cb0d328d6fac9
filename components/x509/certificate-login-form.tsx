"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { SaveBar } from "@/components/ui/save-bar";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

/** "Enable X.509 certificate": whether API logins must present the uploaded certificate. */
export function CertificateLoginForm({ enabled, save }: { enabled: boolean; save: Action }) {
  const [on, setOn] = useState(enabled);
  const [result, dispatch, busy] = useActionState(save, null);
  return (
    <form action={dispatch} aria-label="X.509 certificate login" className="space-y-4 text-sm">
      <div>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="enabled" value="on" checked={on} onChange={(e) => setOn(e.target.checked)} />
          <span className="font-medium">Enable X.509 certificate</span>
        </label>
        <p className="mt-1 pl-6 text-slate-500">
          While this is on, every API login (<code>/login</code> with a username and password) must also send the uploaded client certificate in the{" "}
          <code>apiCertificate</code> parameter; a login without it is refused with &quot;Untrusted request&quot;.
        </p>
      </div>
      <SaveBar busy={busy} result={result} />
    </form>
  );
}
