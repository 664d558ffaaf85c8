// GET /v1/credits/pricing — the older name of GET /v1/pricing, kept so that older clients keep working
export { GET } from "@/app/v1/pricing/route";
