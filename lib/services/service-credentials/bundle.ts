/**
 * The JSON bundle Get Service Credentials shows (and Download saves), in the vendor's shape:
 * `{"ok":true,"integration":{imsEndpoint, metascopes, technicalAccount:{clientId, clientSecret},
 * email, id, org, privateKey, publicKey},"statusCode":200}`. An OAuth Server-to-Server credential
 * has no key pair, so its bundle has no privateKey or publicKey.
 */
import { imsEndpointOf, organizationId } from "../../domain/service-credential";
import type { Runtime } from "../../runtime";
import type { StoredServiceCredential } from "../../storage/types";

export interface ServiceCredentialBundle {
  ok: true;
  integration: {
    imsEndpoint: string;
    metascopes: string;
    technicalAccount: { clientId: string; clientSecret: string };
    email: string;
    id: string;
    org: string;
    privateKey?: string;
    publicKey?: string;
  };
  statusCode: 200;
}

export function bundleOf(
  rt: Runtime,
  c: StoredServiceCredential,
  account: { email: string },
  clientSecret: string,
  keyPair?: { privateKeyPem: string; certificatePem: string },
): ServiceCredentialBundle {
  return {
    ok: true,
    integration: {
      imsEndpoint: imsEndpointOf(rt.settings.publicUrl),
      metascopes: c.metascopes.join(","),
      technicalAccount: { clientId: c.clientId, clientSecret },
      email: account.email,
      id: c.technicalAccountId,
      org: organizationId(rt.customerId),
      ...(keyPair ? { privateKey: keyPair.privateKeyPem, publicKey: keyPair.certificatePem } : {}),
    },
    statusCode: 200,
  };
}
