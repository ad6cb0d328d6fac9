/** A password the server generated, shown this one time so the administrator can hand it over. */
export function GeneratedPassword({ username, password }: { username: string; password: string }) {
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <p>
        Generated password for <strong>{username}</strong>. It is shown only now: copy it and hand it over securely.
      </p>
      <code data-testid="generated-password" className="mt-1 inline-block select-all rounded bg-white px-2 py-1 font-mono text-base">
        {password}
      </code>
    </div>
  );
}
