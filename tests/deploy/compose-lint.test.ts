// The production compose file passes dclint (docker-compose-linter, from npm)
// with no error and no warning, under deploy/dclint.yml; a broken file fails.
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./env-readers.ts";

const DCLINT = path.join(REPO_ROOT, "node_modules/dclint/bin/dclint.cjs");

function dclint(file: string) {
  return execa(process.execPath, [DCLINT, "--config", "deploy/dclint.yml", "--max-warnings", "0", "--no-color", file], {
    cwd: REPO_ROOT,
    reject: false,
  });
}

describe("dclint", () => {
  it("passes deploy/docker-compose.yml", async () => {
    const result = await dclint("deploy/docker-compose.yml");
    expect(result.stdout + result.stderr).not.toMatch(/error|warning/);
    expect(result.exitCode).toBe(0);
  });

  it("fails a file that breaks the Compose schema", async () => {
    const result = await dclint("tests/deploy/fixtures/lint-invalid-schema.yml");
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/healthcheck\/test.*invalid-schema/);
  });

  it("fails a file that publishes a port on every interface without saying so", async () => {
    const result = await dclint("tests/deploy/fixtures/lint-unbound-port.yml");
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/no-unbound-port-interfaces/);
  });
});
