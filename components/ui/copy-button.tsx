"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "./button";

/** Copies `text` to the clipboard and says so, for a moment. `srLabel` names it for screen readers when `label` alone is ambiguous. */
export function CopyButton({ text, label = "Copy", srLabel, ...rest }: { text: string; label?: string; srLabel?: string; "data-testid"?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="secondary"
      size="sm"
      aria-label={copied ? "Copied" : (srLabel ?? label)}
      onClick={async () => {
        await navigator.clipboard.writeText(text).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
      {...rest}
    >
      {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
      <span>{copied ? "Copied" : label}</span>
    </Button>
  );
}
