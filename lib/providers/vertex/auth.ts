import "server-only";
import { readFile } from "node:fs/promises";
import { JWT } from "google-auth-library";
import { ProviderError } from "../types";

// OAuth access tokens for Vertex AI from a service-account key file, through google-auth-library:
// a JWT signed with the account's private key is exchanged at Google's token endpoint
// (the JWT-bearer grant), and the token is kept until shortly before it expires.

/** Where google-auth-library sends the JWT grant; it has no option to change it. */
const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const SCOPE = "https://www.googleapis.com/auth/cloud-platform";

type ServiceAccountKey = { type?: string; client_email?: string; private_key?: string; private_key_id?: string; token_uri?: string };

const misconfigured = (message: string, cause?: unknown) => new ProviderError("upstream", "provider_misconfigured", message, { cause });

export class ServiceAccountTokens {
  private client?: Promise<JWT>;

  /**
   * @param keyFile the service-account JSON key (GOOGLE_APPLICATION_CREDENTIALS), read on first use
   * @param tokenUrl the token endpoint to use instead of Google's (GOOGLE_TOKEN_URL), else the
   *   key file's own `token_uri`, else Google's
   */
  constructor(
    private readonly keyFile: string,
    private readonly tokenUrl?: string,
  ) {}

  /** A valid access token: the cached one, or a new one when it is about to expire. */
  async accessToken(signal: AbortSignal): Promise<string> {
    this.client ??= this.makeClient();
    const client = await this.client.catch((error: unknown) => {
      this.client = undefined; // a key file fixed later is read again
      throw error;
    });
    try {
      const { token } = await untilAborted(client.getAccessToken(), signal);
      if (!token) throw new Error("no access token in the answer");
      return token;
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      throw tokenFailure(error);
    }
  }

  /**
   * Drops the cached token (and re-reads the key file next time): Vertex AI refused it before
   * its expiry, so it was revoked or the key rotated.
   */
  forget(): void {
    this.client = undefined;
  }

  private async makeClient(): Promise<JWT> {
    let key: ServiceAccountKey;
    try {
      key = JSON.parse(await readFile(this.keyFile, "utf8")) as ServiceAccountKey;
    } catch (error) {
      throw misconfigured(`The Vertex AI service-account key file could not be read (GOOGLE_APPLICATION_CREDENTIALS).`, error);
    }
    if (key.type !== "service_account" || !key.client_email || !key.private_key) {
      throw misconfigured("GOOGLE_APPLICATION_CREDENTIALS is not a service-account key (type, client_email, private_key).");
    }
    const client = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: [SCOPE] });
    const tokenUrl = this.tokenUrl || key.token_uri;
    if (tokenUrl && tokenUrl !== GOOGLE_TOKEN_URL) {
      // The library posts the grant to Google's endpoint whatever the key says; point its
      // request elsewhere (a proxy, or a fake in tests) on the way out.
      const target = new URL(tokenUrl);
      client.transporter.interceptors.request.add({
        resolved: async (options) => {
          if (options.url.href === GOOGLE_TOKEN_URL) options.url = target;
          return options;
        },
      });
    }
    return client;
  }
}

/** A refused grant (a revoked or wrong key) is ours to fix; a token endpoint that is down is transient. */
function tokenFailure(error: unknown): ProviderError {
  // google-auth-library rejects with a GaxiosError carrying the HTTP status, when there was one.
  const failed = error as { status?: unknown; response?: { status?: unknown } } | undefined;
  const status = typeof failed?.status === "number" ? failed.status : typeof failed?.response?.status === "number" ? failed.response.status : undefined;
  if (status !== undefined && status < 500 && status !== 429) {
    return new ProviderError("upstream", "provider_auth_failed", `Google refused the Vertex AI service account (HTTP ${status}).`, { cause: error });
  }
  return new ProviderError("transient", "provider_unreachable", "Google's token endpoint could not give an access token.", { cause: error });
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
