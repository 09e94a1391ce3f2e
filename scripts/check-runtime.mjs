// Runs after `npm install`: confirms that `npm run …` scripts get the pinned
// Node (the npm `node` package puts it first on their PATH) and says so plainly
// when they would not, instead of failing later with an obscure error.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.warn(
    `\n[rawjournal] npm scripts are running on Node ${process.versions.node}; the project needs Node 22 or newer.\n` +
      "[rawjournal] The pinned runtime comes from the npm `node` package (see docs/decisions/001-node-runtime-pin.md).\n" +
      "[rawjournal] Its install script may have been skipped: check `allowScripts` in package.json or run `npm rebuild node`.\n",
  );
}
