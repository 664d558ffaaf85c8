import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "@/db/client";

// One root secret, AUTH_SECRET, from which every other key is derived (sessions, signed file
// URLs). In development it is generated once into the data directory when unset; a production
// server refuses to start without it, because instances must share it.

let cached: string | undefined;

export function rootSecret(): string {
  if (cached) return cached;
  const fromEnv = process.env.AUTH_SECRET;
  if (fromEnv) return (cached = fromEnv);
  if (process.env.NODE_ENV === "production") {
    throw new Error("AUTH_SECRET is not set. Every instance needs the same one: generate it with `openssl rand -base64 32`.");
  }
  if (process.env.EASEL_DATA_DIR === "memory://") return (cached = randomBytes(32).toString("base64url"));

  const file = path.join(dataDir(), "auth-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // `wx`: if two processes race, the first file wins and both read it back.
      fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    cached = fs.readFileSync(file, "utf8").trim();
  }
  return cached;
}

/** A key for one purpose, so that a key leaked from one use does not unlock another. */
export function derivedKey(purpose: string): Buffer {
  return createHmac("sha256", rootSecret()).update(`easel:${purpose}`).digest();
}
