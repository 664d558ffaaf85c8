import type { Metadata } from "next";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Easel — one API for every image model", template: "%s · Easel" },
  description:
    "Generate images with Recraft, FLUX, Imagen, GPT Image, Ideogram and MiniMax through one API, with prepaid credit that is always exact.",
  icons: { icon: "/easel.svg" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-neutral-50 font-sans text-neutral-900 antialiased dark:bg-neutral-950 dark:text-neutral-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
