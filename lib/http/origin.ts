/**
 * The origin clients reach this server at, for absolute URLs in responses: `EASEL_PUBLIC_URL`
 * when set (behind a proxy that rewrites the host), otherwise the request's own (`url`: the
 * request's URL when the caller has parsed it already).
 */
export function publicOrigin(request: Request, url?: URL): string {
  const configured = process.env.EASEL_PUBLIC_URL;
  return configured ? new URL(configured).origin : (url ?? new URL(request.url)).origin;
}
