import type { Config } from "tailwindcss";

// Design tokens: a neutral palette with one accent (STYLE.md, "The look"). Tailwind 4 reads
// this file through `@config` in app/globals.css.
const config: Config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        // Text that follows the colour scheme (app/globals.css sets both): secondary text and
        // links, each at AA contrast (4.5:1) on every surface the dashboard paints, light or dark.
        muted: "var(--easel-muted)",
        link: "var(--easel-link)",
        accent: {
          50: "#eef4ff",
          100: "#dbe6fe",
          500: "#3b6cf6",
          600: "#2f56d9",
          700: "#2845ad",
        },
      },
      fontFamily: {
        sans: ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"],
      },
    },
  },
};

export default config;
