"use client";

import { useId } from "react";

/** The prompt, its length against the model's cap (counted after NFC, like the server), and ⌘/Ctrl+Enter to send. */
export function PromptBox({
  value,
  length,
  max,
  onChange,
  onSubmit,
}: {
  value: string;
  length: number;
  max: number;
  onChange: (prompt: string) => void;
  onSubmit: () => void;
}) {
  const id = useId();
  const over = length > max;
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between">
        <label htmlFor={id} className="text-sm font-medium">
          Prompt
        </label>
        <span id={`${id}-count`} className={`tabular text-xs ${over ? "font-medium text-red-600" : "text-muted"}`} data-testid="prompt-count">
          {length.toLocaleString()} / {max.toLocaleString()}
        </span>
      </div>
      <textarea
        id={id}
        value={value}
        rows={4}
        aria-describedby={`${id}-count ${id}-hint`}
        aria-invalid={over || undefined}
        placeholder="A cinematic hourglass on a wooden desk, golden hour"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            onSubmit();
          }
        }}
        data-testid="prompt"
        className="block w-full resize-y rounded-lg border border-neutral-300 bg-white p-3 text-base shadow-sm placeholder:text-neutral-400 focus:border-accent-500 focus:outline-2 focus:outline-accent-500/30 aria-[invalid=true]:border-red-500 dark:border-neutral-700 dark:bg-neutral-900"
      />
      <p id={`${id}-hint`} className="text-xs text-muted">
        <kbd className="font-sans">⌘</kbd>/<kbd className="font-sans">Ctrl</kbd> + <kbd className="font-sans">Enter</kbd> to generate
      </p>
    </div>
  );
}
