import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { logger } from "@/lib/http/logger";
import type { RenderedEmail } from "./templates";

// Where email goes: SMTP_URL (smtp:// or smtps://, with user and password if the server wants
// them) from EMAIL_FROM, through nodemailer; without both, each message is written to the log.

export type Mail = RenderedEmail & { to: string };
export type Send = (mail: Mail) => Promise<void>;

let cached: { url: string; transporter: Transporter } | undefined;

export function emailConfigured(): boolean {
  return Boolean(process.env.SMTP_URL && process.env.EMAIL_FROM);
}

/** The sender of this process's environment, read when called (tests set it). */
export function mailSender(): Send {
  const url = process.env.SMTP_URL;
  const from = process.env.EMAIL_FROM;
  if (!url || !from) {
    return async (mail) => logger.info({ to: mail.to, subject: mail.subject, text: mail.text }, "email (SMTP_URL and EMAIL_FROM unset: logged, not sent)");
  }
  if (cached?.url !== url) cached = { url, transporter: nodemailer.createTransport(url) };
  const transporter = cached.transporter;
  return async (mail) => {
    await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  };
}
