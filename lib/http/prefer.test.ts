import { describe, expect, test } from "vitest";
import { DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS, preferredWaitSeconds } from "./prefer";

describe("Prefer: wait", () => {
  test.each([
    [null, undefined],
    ["", undefined],
    ["respond-async", undefined],
    ["wait", DEFAULT_WAIT_SECONDS],
    ["WAIT", DEFAULT_WAIT_SECONDS],
    ["wait=5", 5],
    ["wait = 5", 5],
    ['wait="7"', 7],
    ["respond-async, wait=10", 10],
    ["wait=10; foo=bar", 10],
    ["wait=0", 0],
    ["wait=301", MAX_WAIT_SECONDS],
    ["wait=99999999999", undefined],
    ["wait=-1", undefined],
    ["wait=1.5", undefined],
    ["wait=soon", undefined],
    ["waiting=5", undefined],
  ])("%j → %j", (header, seconds) => {
    expect(preferredWaitSeconds(header)).toBe(seconds);
  });
});
