import { describe, expect, it } from "vitest";
import { bridgeEnvironment, parseJobsEnv } from "./config.ts";

const base = {
  DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:54322/postgres",
  APP_DATABASE_URL: "postgres://authenticator:postgres@127.0.0.1:54322/postgres",
  SUPABASE_URL: "http://127.0.0.1:54321",
  SUPABASE_SERVICE_ROLE_KEY: "x".repeat(40),
  CREDENTIALS_PRIVATE_KEYS: "k1:AAAA",
  MARKET_DATA_SERVER: "RawBroker-Demo",
  MARKET_DATA_LOGIN: "50100100",
  MARKET_DATA_PASSWORD: "demo-investor",
};

describe("the jobs process's environment", () => {
  it("has defaults for the pool and the terminals", () => {
    expect(parseJobsEnv(base)).toMatchObject({
      SYNC_TRADE_WORKERS: 3,
      SYNC_MARKET_DATA_WORKERS: 1,
      MT5_PYTHON: "python3",
      RAWJOURNAL_MT5_MODULE: "MetaTrader5",
      TERMINAL_RESTART_HOURS: 5,
    });
  });

  it("names every missing variable, and says what the market data terminal needs", () => {
    expect(() => parseJobsEnv({})).toThrow(
      /DATABASE_URL is not set[\s\S]*SUPABASE_SERVICE_ROLE_KEY is not set[\s\S]*CREDENTIALS_PRIVATE_KEYS is not set/,
    );
    expect(() => parseJobsEnv({ ...base, MARKET_DATA_PASSWORD: undefined })).toThrow(/MARKET_DATA_PASSWORD[\s\S]*SYNC_MARKET_DATA_WORKERS=0/);
    expect(parseJobsEnv({ ...base, MARKET_DATA_PASSWORD: undefined, SYNC_MARKET_DATA_WORKERS: "0" }).SYNC_MARKET_DATA_WORKERS).toBe(0);
    expect(() => parseJobsEnv({ ...base, SYNC_TRADE_WORKERS: "0" })).toThrow(/SYNC_TRADE_WORKERS/);
  });

  it("takes the optional S3 backup target whole or not at all", () => {
    expect(parseJobsEnv(base).BACKUP_S3_ENDPOINT).toBeUndefined();
    expect(() => parseJobsEnv({ ...base, BACKUP_S3_ENDPOINT: "not a url" })).toThrow(/BACKUP_S3_ENDPOINT must be the S3 endpoint's URL/);
    expect(() => parseJobsEnv({ ...base, BACKUP_S3_BUCKET: "rawjournal-backups" })).toThrow(
      /cannot start: The S3 backup target is half configured: BACKUP_S3_ENDPOINT, BACKUP_S3_ACCESS_KEY_ID, BACKUP_S3_SECRET_ACCESS_KEY not set/,
    );
  });

  it("hands the bridge only its own settings", () => {
    expect(bridgeEnvironment({ ...base, RAWJOURNAL_SIM_SCENARIO: "demo", RAWJOURNAL_MT5_MODULE: "simulator", PATH: "/bin" })).toEqual({
      RAWJOURNAL_SIM_SCENARIO: "demo",
      RAWJOURNAL_MT5_MODULE: "simulator",
    });
  });
});
