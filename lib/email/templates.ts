// The emails Easel sends, as plain, readable text and simple HTML with the same words. Pure.
import { formatUsdNumber } from "@/lib/money";

export type EmailData = {
  welcome: { creditUsd: number };
  receipt: { amountUsd: number; balanceUsd: number; description: string; paymentRef: string; receiptUrl: string | null };
  low_balance: { availableUsd: number; thresholdUsd: number };
  auto_topup_failed: { reason: string };
};
export type EmailKind = keyof EmailData;
export const EMAIL_KINDS = ["welcome", "receipt", "low_balance", "auto_topup_failed"] as const satisfies readonly EmailKind[];

export type RenderedEmail = { subject: string; text: string; html: string };

/** A paragraph is a string; a link is [label, url]. */
type Block = string | [label: string, url: string];

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function compose(subject: string, blocks: Block[]): RenderedEmail {
  const text = blocks.map((b) => (typeof b === "string" ? b : `${b[0]}: ${b[1]}`)).join("\n\n");
  const body = blocks
    .map((b) => (typeof b === "string" ? `<p>${escape(b)}</p>` : `<p><a href="${escape(b[1])}">${escape(b[0])}</a></p>`))
    .join("\n");
  const html = `<!doctype html><html><body style="font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; color: #171717; max-width: 560px">
${body}
<p style="color: #737373; font-size: 13px">Easel</p></body></html>`;
  return { subject, text: `${text}\n\n— Easel\n`, html };
}

/** One email, from its facts; `origin` is where the dashboard is reached. */
export function renderEmail<K extends EmailKind>(kind: K, data: EmailData[K], origin: string): RenderedEmail {
  switch (kind) {
    case "welcome": {
      const d = data as EmailData["welcome"];
      return compose("Welcome to Easel", [
        "Welcome to Easel: one API and one dashboard for many image models, paid from prepaid credit.",
        d.creditUsd > 0
          ? `Your account starts with ${formatUsdNumber(d.creditUsd)} of credit, enough to try the composer right away.`
          : "Top up to start generating.",
        ["Open the composer", `${origin}/compose`],
        ["Create an API key", `${origin}/keys`],
      ]);
    }
    case "receipt": {
      const d = data as EmailData["receipt"];
      return compose(`Receipt: ${formatUsdNumber(d.amountUsd)} added to your Easel credit`, [
        `${formatUsdNumber(d.amountUsd)} was added to your credit (${d.description}).`,
        `Your balance is now ${formatUsdNumber(d.balanceUsd)}.`,
        `Payment reference: ${d.paymentRef}`,
        ...(d.receiptUrl ? [["Your payment receipt", d.receiptUrl] as Block] : []),
        ["Billing and ledger", `${origin}/billing`],
      ]);
    }
    case "low_balance": {
      const d = data as EmailData["low_balance"];
      return compose(`Your Easel credit is low: ${formatUsdNumber(d.availableUsd)} available`, [
        `Your available credit is ${formatUsdNumber(d.availableUsd)}, below the ${formatUsdNumber(d.thresholdUsd)} you asked to be told about.`,
        "New jobs are refused once their estimate is more than what is available. Top up to keep generating.",
        ["Top up", `${origin}/billing`],
        "We will not send this again until your credit has been back above the threshold.",
      ]);
    }
    case "auto_topup_failed": {
      const d = data as EmailData["auto_topup_failed"];
      return compose("Your Easel auto top-up failed", [
        `We tried to top up your credit with your saved card, and the payment was refused: ${d.reason}`,
        "Auto top-up is paused for a day. Top up by card to save a card again, or change the auto top-up settings to try again sooner.",
        ["Billing", `${origin}/billing`],
      ]);
    }
  }
  throw new Error(`Unknown email kind ${String(kind)}`);
}
