// The admin CLI (README, "The admin CLI"): `npm run easel -- <command> [options]`.
// On PGlite it cannot run while the app holds the data directory; on Postgres it can.
import { parseArgs } from "node:util";
import { connect, disconnect } from "@/db/client";
import { createUser, findUserByEmail } from "@/lib/accounts/users";
import { createApiKey } from "@/lib/auth/api-keys";
import { getBalance } from "@/lib/billing/balance";
import { grantCredit } from "@/lib/billing/credit";
import { setTierOverride } from "@/lib/billing/tier-override";
import { DomainError } from "@/lib/errors";
import { ApiError } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { microsToDecimal, parseUsd } from "@/lib/money";
import { checkProvider, describeProviders } from "@/lib/providers/operator";

const USAGE = `Usage: npm run easel -- <command> [options]

  migrate       Apply the database's pending migrations, and exit (a deployment step of its
                own; every process also applies them when it starts). On Postgres it uses
                DATABASE_LISTEN_URL, a direct connection, when set.
  user:create   --email E --password P [--name N] [--credit USD]
                Create a user and their credit account (with an optional starting credit).
  key:create    --email E [--name N]
                Create an API key; prints the secret alone on one line (shown only this once).
  credit:grant  --email E --usd N --reason R [--deposit]
                Add credit as a ledger adjustment (N may be negative), or with --deposit as a
                top-up that counts toward the usage tier (a bank transfer, say).
  balance       --email E
                Show balance, held, available and tier.
  tier:override --email E --tier N [--until DATE] | --email E --clear
                Set the account's usage tier (0-4) by hand, whatever its deposits, until DATE
                (an ISO date or time, UTC) or until cleared; the billing page shows
                "Tier N (set by support)". --clear returns it to the tier its deposits reach.
  providers     List each upstream, enabled or not and why, and the chain each model uses now.
  providers:check NAME
                One real, cheapest-possible call to upstream NAME with the configured key.`;

const OPTIONS = {
  email: { type: "string" },
  password: { type: "string" },
  name: { type: "string" },
  credit: { type: "string" },
  usd: { type: "string" },
  reason: { type: "string" },
  deposit: { type: "boolean", default: false },
  tier: { type: "string" },
  until: { type: "string" },
  clear: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new UsageError(`--${flag} is required`);
  return value;
}

function usd(value: string, flag: string): bigint {
  const micros = parseUsd(value);
  if (micros === null) throw new UsageError(`--${flag} must be an amount in USD with at most 6 decimals, such as 5 or 0.25`);
  return micros;
}

async function userByEmail(email: string) {
  const found = await findUserByEmail(email);
  if (!found) throw new UsageError(`No user with email ${email}`);
  return found;
}

async function run(command: string | undefined, flags: Record<string, string | boolean | undefined>, args: string[] = []): Promise<void> {
  const text = (flag: string) => flags[flag] as string | undefined;
  switch (command) {
    case "providers": {
      console.log(describeProviders());
      return;
    }
    case "providers:check": {
      const name = args[0] ?? text("name");
      if (!name) throw new UsageError("providers:check needs the upstream's name, e.g. providers:check fal");
      console.log(await checkProvider(name));
      return;
    }
    case "migrate": {
      const { driver } = await connect(); // opening the database applies what is pending
      console.log(`Migrations applied (${driver})`);
      return;
    }
    case "user:create": {
      const credit = text("credit") === undefined ? 0n : usd(text("credit")!, "credit");
      if (credit < 0n) throw new UsageError("--credit cannot be negative");
      const { user, account } = await createUser({
        email: required(text("email"), "email"),
        password: required(text("password"), "password"),
        name: text("name"),
        creditMicros: credit,
        creditDescription: "Starting credit (admin CLI)",
      });
      console.log(`Created ${user.email} (user ${user.id}, account ${account.id}) with $${microsToDecimal(credit)} credit`);
      return;
    }
    case "key:create": {
      const { account } = await userByEmail(required(text("email"), "email"));
      const { secret } = await createApiKey({ accountId: account.id, name: text("name") ?? "CLI key" });
      console.log(secret);
      return;
    }
    case "credit:grant": {
      const amount = usd(required(text("usd"), "usd"), "usd");
      const reason = required(text("reason"), "reason");
      if (amount === 0n) throw new UsageError("--usd cannot be 0");
      if (flags.deposit && amount < 0n) throw new UsageError("A --deposit must be positive");
      const { user, account } = await userByEmail(required(text("email"), "email"));
      const entry = await grantCredit({
        accountId: account.id,
        amountMicros: amount,
        kind: flags.deposit ? "topup" : "adjustment",
        description: reason,
        // A deposit is one payment: its own reference, whatever the reason says.
        paymentRef: flags.deposit ? newId("manual") : undefined,
      });
      console.log(
        `${flags.deposit ? "Deposited" : "Adjusted"} $${microsToDecimal(amount)} for ${user.email}; ` +
          `balance $${microsToDecimal(entry.balanceAfterMicros)}, held $${microsToDecimal(entry.heldAfterMicros)}`,
      );
      return;
    }
    case "tier:override": {
      const { user, account } = await userByEmail(required(text("email"), "email"));
      if (flags.clear) {
        await setTierOverride({ accountId: account.id, tier: null });
        const balance = (await getBalance({ accountId: account.id }))!;
        console.log(`${user.email}: tier override cleared; tier ${balance.tier.tier} from deposits`);
        return;
      }
      const tier = Number(required(text("tier"), "tier"));
      if (!Number.isInteger(tier) || tier < 0 || tier > 4) throw new UsageError("--tier must be 0, 1, 2, 3 or 4");
      const untilText = text("until");
      const until = untilText === undefined ? null : new Date(/^\d{4}-\d{2}-\d{2}$/.test(untilText) ? `${untilText}T00:00:00Z` : untilText);
      if (until && Number.isNaN(until.getTime())) throw new UsageError("--until must be a date (2027-01-31) or an ISO time");
      await setTierOverride({ accountId: account.id, tier, until });
      console.log(`${user.email}: tier ${tier} (set by support)${until ? ` until ${until.toISOString()}` : ""}`);
      return;
    }
    case "balance": {
      const { user, account } = await userByEmail(required(text("email"), "email"));
      const balance = (await getBalance({ accountId: account.id }))!;
      console.log(
        `${user.email}: balance $${microsToDecimal(balance.balanceMicros)}, held $${microsToDecimal(balance.heldMicros)}, ` +
          `available $${microsToDecimal(balance.availableMicros)}, tier ${balance.tier.tier}${balance.tierOverride ? " (set by support)" : ""}`,
      );
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command ${command}` : "No command given");
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    await run(parsed.positionals[0], parsed.values, parsed.positionals.slice(1));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(error instanceof ApiError || error instanceof DomainError ? `${error.code}: ${error.message}` : error);
    return 1;
  } finally {
    await disconnect();
  }
}

main().then((code) => process.exit(code));
