import { stringify } from "csv-stringify/sync";
import { toUsd } from "@/lib/money";
import { microsToDecimal } from "@/lib/money";
import type { LedgerEntryObject } from "./schemas";
import type { StatementLine } from "./statement";

export type { LedgerEntryObject };

/** A ledger entry as the API shows it. */
export function ledgerEntryJson(line: StatementLine): LedgerEntryObject {
  return {
    id: String(line.id),
    object: "ledger_entry",
    type: line.type,
    amount: toUsd(line.amountMicros),
    balance_after: toUsd(line.balanceAfterMicros),
    held_after: toUsd(line.heldAfterMicros),
    job_id: line.jobId,
    model: line.model,
    payment_ref: line.paymentRef,
    description: line.description,
    created_at: line.createdAt.toISOString(),
  };
}

export const CSV_COLUMNS = ["id", "created_at", "type", "amount_usd", "balance_after_usd", "held_after_usd", "job_id", "model", "payment_ref", "description"];

/** CSV rows (csv-stringify quotes what needs quoting), amounts as exact decimals. */
export function csvRows(lines: StatementLine[], header = false): string {
  return stringify(
    lines.map((line) => [
      String(line.id),
      line.createdAt.toISOString(),
      line.type,
      microsToDecimal(line.amountMicros),
      microsToDecimal(line.balanceAfterMicros),
      microsToDecimal(line.heldAfterMicros),
      line.jobId ?? "",
      line.model ?? "",
      line.paymentRef ?? "",
      line.description ?? "",
    ]),
    { header, columns: header ? CSV_COLUMNS : undefined },
  );
}
