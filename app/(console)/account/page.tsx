import { requireConsoleAdmin } from "@/app/_server/guard";

export default async function Page() {
  await requireConsoleAdmin();
  return <h1 className="text-2xl font-semibold">account</h1>;
}
