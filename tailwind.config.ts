import type { Config } from "tailwindcss";

/**
 * RawJournal is dark-only: there is no light theme, so colours are defined as
 * plain tokens (no `dark:` variants needed). `darkMode: "class"` plus
 * `class="dark"` on <html> keeps any third-party `dark:` utilities working.
 */
export default {
  content: ["./app/**/*.{ts,tsx,js,jsx}"],
  darkMode: "class",
  theme: {
    extend: {
      colors: {
        bg: "#0a0a0f",
        surface: "#111118",
        raised: "#1a1a24",
        border: "#26263a",
        accent: {
          DEFAULT: "#6366f1", // indigo-500
          hover: "#818cf8", // indigo-400
          muted: "#312e81", // indigo-900
        },
        profit: "#22c55e",
        loss: "#ef4444",
        fg: {
          DEFAULT: "#e5e7eb", // primary text
          muted: "#9ca3af", // secondary text
          subtle: "#6b7280", // hints, captions
        },
      },
      fontFamily: {
        sans: ["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"],
      },
    },
  },
  plugins: [],
} satisfies Config;
