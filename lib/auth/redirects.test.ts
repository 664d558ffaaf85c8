import { describe, expect, test } from "vitest";
import { safeCallbackPath } from "./redirects";

const origin = "http://localhost:3000";

describe("callback URLs after sign-in", () => {
  test.each([
    ["/gallery", "/gallery"],
    ["http://localhost:3000/gallery?status=failed", "/gallery?status=failed"],
    ["/keys#new", "/keys#new"],
  ])("keeps %s", (input, expected) => expect(safeCallbackPath(input, origin)).toBe(expected));

  test.each([
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
    "javascript:alert(1)",
    "http://localhost:3001/other-port",
    "",
    null,
  ])("refuses %j", (input) => expect(safeCallbackPath(input, origin)).toBe("/compose"));
});
