import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/server/config.ts";
import { expectArbiterError } from "../support/errors.ts";

const CWD = resolve("/srv", "arbiter");

describe("loadConfig: defaults", () => {
  it("uses port 2567, data/ under cwd, the database in the data dir and log level info", () => {
    const config = loadConfig({}, CWD);
    expect(config).toMatchObject({
      port: 2567,
      dataDir: resolve(CWD, "data"),
      databasePath: resolve(CWD, "data", "arbiter.sqlite"),
      adminPassword: undefined,
      logLevel: "info",
      defaultWorld: undefined,
    });
  });

  it("treats empty and blank strings as unset", () => {
    const blank = { PORT: "", DATA_DIR: " ", DATABASE_PATH: "", ADMIN_PASSWORD: "", LOG_LEVEL: "", DEFAULT_WORLD: "" };
    expect(loadConfig(blank, CWD)).toEqual(loadConfig({}, CWD));
  });
});

describe("loadConfig: set values", () => {
  it("keeps DATABASE_PATH=:memory: as a throwaway in-memory database", () => {
    expect(loadConfig({ DATABASE_PATH: ":memory:" }, CWD).databasePath).toBe(":memory:");
  });

  it("honours PORT, DATA_DIR, LOG_LEVEL, ADMIN_PASSWORD and DEFAULT_WORLD", () => {
    const config = loadConfig({ PORT: "8080", DATA_DIR: "var/worlds-data", LOG_LEVEL: "warn", ADMIN_PASSWORD: "correct-horse", DEFAULT_WORLD: "quay" }, CWD);
    expect(config).toMatchObject({
      port: 8080,
      dataDir: resolve(CWD, "var/worlds-data"),
      databasePath: resolve(CWD, "var/worlds-data", "arbiter.sqlite"),
      logLevel: "warn",
      adminPassword: "correct-horse",
      defaultWorld: "quay",
    });
  });

  it("honours DATABASE_PATH, resolved against cwd", () => {
    expect(loadConfig({ DATABASE_PATH: "db/world.sqlite" }, CWD).databasePath).toBe(resolve(CWD, "db/world.sqlite"));
    const absolute = resolve("/var", "lib", "arbiter.sqlite");
    expect(loadConfig({ DATABASE_PATH: absolute }, CWD).databasePath).toBe(absolute);
  });

  it("honours HOST, unset meaning every interface", () => {
    expect(loadConfig({ HOST: "127.0.0.1" }, CWD).host).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "::1" }, CWD).host).toBe("::1");
    expect(loadConfig({}, CWD).host).toBeUndefined();
  });

  it("keeps an absolute DATA_DIR as it is", () => {
    const dataDir = resolve("/opt", "arbiter-data");
    expect(loadConfig({ DATA_DIR: dataDir }, CWD).dataDir).toBe(dataDir);
  });
});

describe("loadConfig: bad values stop start-up with config/invalid naming the variable", () => {
  it.each(["local host", "127.0.0.1/8", "http://127.0.0.1"])("HOST=%s", (host) => {
    const error = expectArbiterError(() => loadConfig({ HOST: host }, CWD), "config/invalid");
    expect(error.message).toContain("HOST");
  });

  it.each(["abc", "0", "70000", "80.5", "0x50", "1e3"])("PORT=%s", (port) => {
    const error = expectArbiterError(() => loadConfig({ PORT: port }, CWD), "config/invalid");
    expect(error.message).toContain("PORT");
  });

  it("an ADMIN_PASSWORD shorter than 8 characters", () => {
    const error = expectArbiterError(() => loadConfig({ ADMIN_PASSWORD: "short" }, CWD), "config/invalid");
    expect(error.message).toContain("ADMIN_PASSWORD");
    expect(error.message).toContain("at least 8 characters");
  });

  it("an unknown LOG_LEVEL", () => {
    const error = expectArbiterError(() => loadConfig({ LOG_LEVEL: "verbose" }, CWD), "config/invalid");
    expect(error.message).toContain("LOG_LEVEL");
  });

  it("names both of two bad variables", () => {
    const error = expectArbiterError(() => loadConfig({ PORT: "abc", LOG_LEVEL: "loud" }, CWD), "config/invalid");
    expect(error.message).toContain("PORT");
    expect(error.message).toContain("LOG_LEVEL");
  });
});

describe("loadConfig: HTTP limits and CORS origins", () => {
  it("defaults to a 64 KB body limit, a 30 s idle timeout and no cross-origin access", () => {
    expect(loadConfig({}, CWD)).toMatchObject({ httpBodyLimitBytes: 65_536, httpIdleTimeoutMs: 30_000, corsOrigins: [] });
  });

  it("honours HTTP_BODY_LIMIT, HTTP_IDLE_TIMEOUT_MS and a comma-separated CORS_ORIGINS", () => {
    const config = loadConfig({ HTTP_BODY_LIMIT: "1048576", HTTP_IDLE_TIMEOUT_MS: "5000", CORS_ORIGINS: "https://play.example.com, http://localhost:5173" }, CWD);
    expect(config).toMatchObject({ httpBodyLimitBytes: 1_048_576, httpIdleTimeoutMs: 5000, corsOrigins: ["https://play.example.com", "http://localhost:5173"] });
  });

  it.each(["64kb", "1e5", "0x10000", "1023", "16777217"])("HTTP_BODY_LIMIT=%s", (limit) => {
    expect(expectArbiterError(() => loadConfig({ HTTP_BODY_LIMIT: limit }, CWD), "config/invalid").message).toContain("HTTP_BODY_LIMIT");
  });

  it.each(["30s", "99", "600001"])("HTTP_IDLE_TIMEOUT_MS=%s", (ms) => {
    expect(expectArbiterError(() => loadConfig({ HTTP_IDLE_TIMEOUT_MS: ms }, CWD), "config/invalid").message).toContain("HTTP_IDLE_TIMEOUT_MS");
  });

  it.each([
    ["*", "is not an origin"],
    ["https://play.example.com/", 'did you mean "https://play.example.com"'],
    ["https://Play.Example.com", 'did you mean "https://play.example.com"'],
    ["https://play.example.com:443", 'did you mean "https://play.example.com"'],
    ["ftp://files.example.com", "http or https"],
    ["https://ok.example.com,null", '"null"'],
  ])("CORS_ORIGINS=%s", (origins, fragment) => {
    const error = expectArbiterError(() => loadConfig({ CORS_ORIGINS: origins }, CWD), "config/invalid");
    expect(error.message).toContain("CORS_ORIGINS");
    expect(error.message).toContain(fragment);
  });
});

describe("loadConfig: reconnection and the ping check", () => {
  it("defaults to a 20 s reconnection window and a ping every 3 s", () => {
    expect(loadConfig({}, CWD)).toMatchObject({ reconnectWindowS: 20, pingIntervalMs: 3000 });
  });

  it("honours RECONNECT_WINDOW_S (0 turns reconnection off) and PING_INTERVAL_MS", () => {
    expect(loadConfig({ RECONNECT_WINDOW_S: "0", PING_INTERVAL_MS: "500" }, CWD)).toMatchObject({ reconnectWindowS: 0, pingIntervalMs: 500 });
    expect(loadConfig({ RECONNECT_WINDOW_S: "90" }, CWD).reconnectWindowS).toBe(90);
  });

  it.each(["20s", "1.5", "-1", "3601"])("RECONNECT_WINDOW_S=%s", (seconds) => {
    expect(expectArbiterError(() => loadConfig({ RECONNECT_WINDOW_S: seconds }, CWD), "config/invalid").message).toContain("RECONNECT_WINDOW_S");
  });

  it.each(["3s", "99", "60001"])("PING_INTERVAL_MS=%s", (ms) => {
    expect(expectArbiterError(() => loadConfig({ PING_INTERVAL_MS: ms }, CWD), "config/invalid").message).toContain("PING_INTERVAL_MS");
  });
});
