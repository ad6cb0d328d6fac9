// GET|POST /api/auth/* - next-auth endpoints for console sign-in.
import NextAuth from "next-auth";
import { authOptions } from "@/app/_server/auth";

const handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => NextAuth(authOptions())(req, ctx);
export { handler as GET, handler as POST };
