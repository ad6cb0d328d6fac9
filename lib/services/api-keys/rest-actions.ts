/** The USER actions of the REST API, over the API key services. */
import type { ServiceContext } from "../context";
import { generateApiKey, getApiKey, removeApiKey } from "./manage";

export const generateApiKeyAction = (ctx: ServiceContext, userId: string) => generateApiKey(ctx, userId);
export const getApiKeyAction = (ctx: ServiceContext, userId: string) => getApiKey(ctx, userId);
export const clearApiKeyAction = async (ctx: ServiceContext, userId: string) => {
  await removeApiKey(ctx, userId);
  return true;
};
