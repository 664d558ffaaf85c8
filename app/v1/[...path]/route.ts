// Any other /v1 path — a JSON 404 in the API's error shape rather than an HTML page
import { api } from "@/lib/http/api";
import { ApiError } from "@/lib/http/errors";

const notFound = api<{ path: string[] }, "none">(
  async ({ request }) => {
    throw new ApiError(404, "route_not_found", `There is no ${request.method} ${new URL(request.url).pathname}.`);
  },
  { auth: "none" },
);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
