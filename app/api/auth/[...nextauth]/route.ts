// GET|POST /api/auth/* - next-auth endpoints for console sign-in.
import NextAuth from "next-auth";
import { authOptions } from "@/app/_server/auth";

type RouteHandler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

// next-auth's typings declare NextAuth(options) as `any`; called with the options alone it returns
// this App Router handler (a Promise of the Response).
const handler: RouteHandler = (req, ctx) => (NextAuth(authOptions()) as RouteHandler)(req, ctx);
export { handler as GET, handler as POST };
