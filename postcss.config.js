// Loaded by the Remix classic compiler because remix.config.js sets
// `postcss: true`. Tailwind is listed explicitly (the compiler would otherwise
// append it after autoprefixer, leaving Tailwind's output unprefixed).
export default {
  plugins: {
    tailwindcss: {},
    autoprefixer: {},
  },
};
