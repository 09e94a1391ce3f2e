// The Dockerfile passes a Dockerfile linter (issue 19 item 1) — dockerfile-utils,
// the validator behind VS Code's Dockerfile support — and the house rules the
// deployment relies on (app and jobs targets, non-root, HEALTHCHECK, the base
// image as a build argument, npm ci). A fixture full of mistakes proves both
// checks can fail. The images themselves are built and run by
// scripts/image/build-and-run.sh (podman), not here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { validate, ValidationCode } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../supabase/local/database.ts";

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");
const DOCKERFILE = "Dockerfile";
const BASE_CONTAINERFILE = "scripts/image/node-base.Containerfile";
const BROKEN = "tests/deploy/fixtures/broken.Dockerfile";

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  name: string | null;
  from: string;
  instructions: Instruction[];
}

/** Instructions (continuation lines joined, comments dropped) grouped by build stage. */
function stagesOf(dockerfile: string): { globalArgs: string[]; stages: Stage[] } {
  const logical: string[] = [];
  let pending = "";
  for (const raw of dockerfile.split("\n")) {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) continue;
    if (line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = "";
  }
  const globalArgs: string[] = [];
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const [from = "", as, name] = args.replace(/--platform=\S+\s+/, "").split(/\s+/);
      stages.push({ name: as?.toUpperCase() === "AS" && name ? name : null, from, instructions: [] });
    } else if (stages.length) {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    } else if (keyword.toUpperCase() === "ARG") {
      globalArgs.push(args.split("=")[0]!);
    }
  }
  return { globalArgs, stages };
}

/** What the deployment needs of our Dockerfile; each broken rule is one sentence. */
function houseRuleProblems(dockerfile: string): string[] {
  const { globalArgs, stages } = stagesOf(dockerfile);
  const problems: string[] = [];
  const names = new Set(stages.map((s) => s.name));
  if (!globalArgs.includes("BASE_IMAGE")) problems.push("no global ARG BASE_IMAGE");
  for (const stage of stages) {
    if (stage.from !== "${BASE_IMAGE}" && !names.has(stage.from))
      problems.push(`stage ${stage.name ?? "?"} starts from ${stage.from}, not BASE_IMAGE`);
  }
  for (const target of ["app", "jobs"]) {
    const stage = stages.find((s) => s.name === target);
    if (!stage) {
      problems.push(`no ${target} target`);
      continue;
    }
    const users = stage.instructions.filter((i) => i.keyword === "USER");
    const lastUser = users.at(-1)?.args.split(":")[0];
    if (!lastUser || lastUser === "root" || lastUser === "0") problems.push(`${target} runs as root`);
    if (!stage.instructions.some((i) => i.keyword === "HEALTHCHECK" && !/\bNONE\b/.test(i.args))) problems.push(`${target} has no HEALTHCHECK`);
    if (!stage.instructions.some((i) => i.keyword === "CMD")) problems.push(`${target} has no CMD`);
  }
  const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args));
  if (!runs.some((r) => /\bnpm ci\b/.test(r))) problems.push("dependencies are not installed with npm ci");
  if (runs.some((r) => /\bnpm (install|i)\b/.test(r))) problems.push("npm install in a RUN (the lockfile must decide)");
  return problems;
}

describe("Dockerfile lint", () => {
  it("the repository's Dockerfile and the local base image's Containerfile have no linter findings", () => {
    expect(validate(read(DOCKERFILE))).toEqual([]);
    expect(validate(read(BASE_CONTAINERFILE))).toEqual([]);
  });

  it("the linter reports every mistake in the broken fixture", () => {
    const codes = validate(read(BROKEN)).map((d) => d.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        ValidationCode.UNKNOWN_COPY_FLAG,
        ValidationCode.FLAG_MISSING_DURATION,
        ValidationCode.UNKNOWN_INSTRUCTION,
        ValidationCode.INVALID_PROTO,
        ValidationCode.WORKDIR_IS_NOT_ABSOLUTE,
        ValidationCode.MULTIPLE_INSTRUCTIONS,
      ]),
    );
  });

  it("the Dockerfile keeps the house rules: app and jobs targets, non-root, HEALTHCHECK, BASE_IMAGE, npm ci", () => {
    expect(houseRuleProblems(read(DOCKERFILE))).toEqual([]);
  });

  it("the house rules catch the broken fixture", () => {
    expect(houseRuleProblems(read(BROKEN))).toEqual([
      "no global ARG BASE_IMAGE",
      "stage build starts from node:22-bookworm-slim, not BASE_IMAGE",
      "no app target",
      "no jobs target",
      "dependencies are not installed with npm ci",
      "npm install in a RUN (the lockfile must decide)",
    ]);
  });
});
