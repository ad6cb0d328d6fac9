/** Result of a console action: a success status or an error alert. */
export function Notice({ result }: { result: { ok: true; message?: string } | { ok: false; error: string } | null | undefined }) {
  if (!result) return null;
  if (result.ok) {
    return result.message ? (
      <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
        {result.message}
      </p>
    ) : null;
  }
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      {result.error}
    </p>
  );
}
