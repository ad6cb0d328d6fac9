import { redirect } from "next/navigation";
import { requireConsoleUser } from "@/app/_server/guard";

export default async function Home() {
  const { isAdmin } = await requireConsoleUser();
  redirect(isAdmin ? "/setup/system/customer-info" : "/account");
}
