import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";

/** Copyable curl commands with this server's real URL; the key shows by its prefix only. */
export function CurlExamples({ baseUrl, keyPrefix }: { baseUrl: string; keyPrefix: string | null }) {
  const key = keyPrefix ? `${keyPrefix}…` : "esk_…";
  const examples = [
    {
      title: "Generate images",
      command: `curl -X POST ${baseUrl}/v1/images/generations \\\n  -H "Authorization: Bearer $EASEL_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": "recraft-v4", "prompt": "a lighthouse at dusk", "n": 2}'`,
    },
    { title: "Poll the job", command: `curl ${baseUrl}/v1/jobs/JOB_ID \\\n  -H "Authorization: Bearer $EASEL_API_KEY"` },
    { title: "Check your balance", command: `curl ${baseUrl}/v1/balance \\\n  -H "Authorization: Bearer $EASEL_API_KEY"` },
  ];
  return (
    <section aria-labelledby="curl-title">
      <h2 id="curl-title" className="mb-1 text-lg font-semibold">Call the API</h2>
      <p className="mb-4 text-sm text-neutral-600 dark:text-neutral-400">
        Set <code className="font-mono">EASEL_API_KEY</code> to your key ({key}) and run:
      </p>
      <div className="space-y-4">
        {examples.map((example) => (
          <Card key={example.title} flush className="p-4">
            <div className="mb-2 flex items-center justify-between gap-2">
              <h3 className="text-sm font-medium">{example.title}</h3>
              <CopyButton text={example.command} label="Copy" />
            </div>
            <pre className="overflow-x-auto rounded-md bg-neutral-950 p-3 text-xs leading-relaxed text-neutral-100" data-testid="curl-example">
              <code>{example.command}</code>
            </pre>
          </Card>
        ))}
      </div>
    </section>
  );
}
