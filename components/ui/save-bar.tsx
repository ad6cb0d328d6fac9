import { Button } from "./button";
import { Notice } from "./notice";

/** The Save button of a settings form, with the result of the last save beside it. */
export function SaveBar({ busy, result }: { busy: boolean; result: Parameters<typeof Notice>[0]["result"] }) {
  return (
    <div className="flex items-center gap-3">
      <Button type="submit" disabled={busy}>
        Save
      </Button>
      <Notice result={result} />
    </div>
  );
}
