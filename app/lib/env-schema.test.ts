import { describe, expect, it } from "vitest";
import { parseEnv } from "./env-schema.ts";

const complete = {
  SITE_URL: "http://localhost:3000",
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_ANON_KEY: "a".repeat(40),
  SUPABASE_JWT_SECRET: "j".repeat(32),
  APP_DATABASE_URL: "postgres://rawjournal_web:postgres@127.0.0.1:54322/postgres",
};

describe("parseEnv", () => {
  it("accepts a complete environment and fills the defaults", () => {
    expect(parseEnv(complete)).toMatchObject({ ...complete, NODE_ENV: "production", TRUSTED_PROXY_HOPS: 0 });
  });

  it("names every missing or malformed variable in one message", () => {
    const broken = { ...complete, SUPABASE_JWT_SECRET: "short", SITE_URL: undefined, APP_DATABASE_URL: "mysql://x" };
    expect(() => parseEnv(broken)).toThrowError(
      /cannot start[\s\S]*SITE_URL is not set[\s\S]*SUPABASE_JWT_SECRET must be at least 32 characters[\s\S]*APP_DATABASE_URL must be a postgres/,
    );
  });
});
