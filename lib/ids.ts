import { randomFillSync } from "node:crypto";

// Crockford base32: no I, L, O, U — unambiguous when read aloud or copied by hand.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A prefixed, time-ordered id: `job_` + 10 characters of milliseconds + 16 random characters
 * (80 bits). Ids of one kind sort by creation time, which lets lists page by id alone.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = "";
  let ms = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  let tail = "";
  for (let i = 0; i < 16; i++) tail += ALPHABET[randomByte() % 32];
  return `${prefix}_${time}${tail}`;
}

// Random bytes drawn from the CSPRNG a page at a time: a request makes several ids, and one
// system call per id showed in profiles of the submit path. (Secrets are not made here.)
const pool = Buffer.alloc(4096);
let next = pool.length;

function randomByte(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]!;
}
