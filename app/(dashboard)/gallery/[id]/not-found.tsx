import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

// A job id that is not one of this account's jobs (or not a job id at all).
export default function JobNotFound() {
  return (
    <Card className="flex flex-col items-center gap-3 py-14 text-center" data-testid="job-not-found">
      <h1 className="text-lg font-semibold">No such job</h1>
      <p className="max-w-md text-sm text-neutral-600 dark:text-neutral-400">
        This job does not exist on your account. It may belong to someone else, or the link is mistyped.
      </p>
      <Link href="/gallery" className={buttonClass("secondary")}>
        Back to the gallery
      </Link>
    </Card>
  );
}
