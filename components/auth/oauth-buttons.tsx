import { signIn } from "@/auth";
import { Button } from "@/components/ui/button";

/** GitHub and Google sign-in, only for the providers whose credentials are configured. */
export function OAuthButtons({ providers, redirectTo }: { providers: Array<{ id: string; name: string }>; redirectTo: string }) {
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <form
          key={provider.id}
          action={async () => {
            "use server";
            await signIn(provider.id, { redirectTo });
          }}
        >
          <Button type="submit" variant="secondary" className="w-full">
            Continue with {provider.name}
          </Button>
        </form>
      ))}
      <div className="flex items-center gap-3 py-2 text-xs uppercase tracking-wide text-muted">
        <span className="h-px flex-1 bg-neutral-200 dark:bg-neutral-800" /> or <span className="h-px flex-1 bg-neutral-200 dark:bg-neutral-800" />
      </div>
    </div>
  );
}
