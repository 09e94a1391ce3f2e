// The layer rules of eslint.config.js (docs/decisions/013-layers.md) fail
// `npm run lint` on a file that breaks them: each fixture below is linted as
// if it stood at the path given, with the project's own configuration.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../supabase/local/database.ts";

const eslint = new ESLint({ cwd: REPO_ROOT });

async function ruleErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("layer rules", () => {
  it("keep app/domain pure: no models, lib, routes or components, no database driver, no Node API but crypto", async () => {
    for (const line of [
      'import { pool } from "~/lib/pool.server.ts";',
      'import { listTrades } from "~/models/trade-list.server.ts";',
      'import { loader } from "~/routes/_app.dashboard.tsx";',
      'import { Logo } from "../../components/ui/logo.tsx";',
      'import pg from "pg";',
      'import { readFile } from "node:fs/promises";',
    ]) {
      const errors = await ruleErrors(
        "app/domain/analytics/fixture.ts",
        `${line}\nexport const x = typeof ${line.includes("{") ? line.match(/\{ (\w+)/)![1] : "pg"};\n`,
      );
      expect(errors.join("\n"), line).toMatch(/no-restricted-imports: .*app\/domain/);
    }
    expect(await ruleErrors("app/domain/fixture.ts", 'import { randomInt } from "node:crypto";\nexport const x = randomInt;\n')).toEqual([]);
  });

  it("keep .server modules out of components, types included", async () => {
    const errors = await ruleErrors(
      "app/components/fixture.tsx",
      'import type { DashboardData } from "~/models/dashboard.server.ts";\nexport type X = DashboardData;\n',
    );
    expect(errors.join("\n")).toMatch(/no-restricted-imports: .*Components must not import \.server modules/);
    expect(
      await ruleErrors(
        "app/components/fixture.tsx",
        'import type { DashboardData } from "~/models/dashboard.types.ts";\nexport type X = DashboardData;\n',
      ),
    ).toEqual([]);
  });

  it("keep the local Supabase stand-in out of app/", async () => {
    for (const path of ["app/routes/fixture.tsx", "app/lib/fixture.server.ts", "app/components/fixture.tsx", "app/domain/fixture.ts"]) {
      const errors = await ruleErrors(
        path,
        'import { startLocalSupabase } from "../../supabase/local/server.ts";\nexport const x = startLocalSupabase;\n',
      );
      expect(errors.join("\n"), path).toMatch(/supabase\/local/);
    }
  });
});
