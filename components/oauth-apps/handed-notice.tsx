"use client";

import { useEffect, useState } from "react";
import { Notice } from "@/components/ui/notice";
import { forgetHanded, peekHanded } from "./handoff";
import { NewClientSecret } from "./new-secret";

/**
 * What the previous page handed to this one, shown once: on an app's page, "created" and its first
 * client secret; on the list, the outcome of deleting an app. `to` is the app's client ID, or null
 * for the list.
 */
export function HandedNotice({ to }: { to: string | null }) {
  const [handed] = useState(() => peekHanded(to));
  const [secret, setSecret] = useState(handed?.secret ?? null);
  useEffect(() => forgetHanded(to), [to]);
  if (!handed) return null;
  return (
    <div className="mb-6" data-testid="handed-notice">
      <Notice result={{ ok: true, message: handed.message }} />
      {secret && <NewClientSecret value={secret} onDismiss={() => setSecret(null)} />}
    </div>
  );
}
