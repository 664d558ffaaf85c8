import { describe, expect, test } from "vitest";
import { GroupCommit } from "./group-commit";

/** A flush that records its batches and finishes only when the test says so. */
function controlledFlush() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  let running = 0;
  let mostAtOnce = 0;
  const flush = async (items: number[]) => {
    batches.push(items);
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise<void>((resolve) => releases.push(resolve));
    running--;
    return items.map((item) => item * 10);
  };
  const releaseAll = async () => {
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { flush, batches, releaseAll, mostAtOnce: () => mostAtOnce };
}

describe("GroupCommit", () => {
  test("flushes a lone item at once, and batches what arrives during a flush", async () => {
    const { flush, batches, releaseAll } = controlledFlush();
    const group = new GroupCommit(flush);
    const first = group.submit(1);
    const rest = [2, 3, 4].map((item) => group.submit(item));
    expect(batches).toEqual([[1]]);
    await releaseAll();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  test("runs at most `lanes` flushes at once, and no batch is larger than maxBatch", async () => {
    const { flush, batches, releaseAll, mostAtOnce } = controlledFlush();
    const group = new GroupCommit(flush, { lanes: 2, maxBatch: 3 });
    const results = Array.from({ length: 10 }, (_, item) => group.submit(item));
    expect(batches).toEqual([[0], [1]]); // two lanes busy; the rest wait for one
    await releaseAll();
    expect(await Promise.all(results)).toEqual(Array.from({ length: 10 }, (_, item) => item * 10));
    expect(mostAtOnce()).toBe(2);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, item) => item));
    expect(Math.max(...batches.map((batch) => batch.length))).toBe(3);
  });

  test("a failed flush rejects its own batch only", async () => {
    const group = new GroupCommit(async (items: number[]) => {
      if (items.includes(2)) throw new Error("bad batch");
      return items;
    });
    const one = group.submit(1);
    const two = group.submit(2);
    await expect(one).resolves.toBe(1);
    await expect(two).rejects.toThrow("bad batch");
    await expect(group.submit(3)).resolves.toBe(3);
  });
});
