"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";
import { makeQueryClient } from "@/lib/queries/client";

export function Providers({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      {/* Above the composer's sticky cost bar, so that a toast never covers its Generate button. */}
      <Toaster position="bottom-right" offset={{ bottom: "6.5rem", right: "1.5rem" }} mobileOffset={{ bottom: "7.5rem" }} richColors closeButton />
    </QueryClientProvider>
  );
}
