/** The token endpoint's success body (RFC 6749 5.1); `token_type` is the app's setting. */
export interface TokenGrantResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}
