/** The shape of a job id (lib/ids.ts): `job_` + 26 base32 characters. */
export function isJobId(text: string): boolean {
  return /^job_[0-9a-z]{26}$/.test(text);
}
