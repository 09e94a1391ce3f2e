/**
 * Remix v2 classic compiler configuration (not Vite).
 *
 * Output: server bundle at build/index.js, client assets in public/build
 * (served under /build/).
 *
 * RAWJOURNAL_BUILD_DIR moves both (the test suite builds into a directory of
 * its own per run, so concurrent runs never overwrite each other's build).
 *
 * @type {import('@remix-run/dev').AppConfig}
 */
const buildDir = process.env.RAWJOURNAL_BUILD_DIR;

export default {
  appDirectory: "app",
  assetsBuildDirectory: buildDir ? `${buildDir}/public/build` : "public/build",
  publicPath: "/build/",
  serverBuildPath: `${buildDir ?? "build"}/index.js`,
  serverModuleFormat: "esm",
  serverPlatform: "node",
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  tailwind: true,
  postcss: true,
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
