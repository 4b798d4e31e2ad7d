/**
 * Accounts (issue 12): players sign in on @colyseus/auth's standard routes, what the SDK's
 * `client.auth.*` calls (`POST /auth/anonymous`, `POST /auth/register`, `POST /auth/login`,
 * `GET /auth/userdata`: http/auth-routes.ts). Users live in SQLite (`users`, migration 0007);
 * passwords are hashed by the package (scrypt with a fresh salt per password); tokens are the
 * package's JWTs (HS256) signed with the server's secret ({@link loadAuthSecret}) and carry
 * {@link TokenClaims}. A token is good while its user exists in this server's database.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { JWT } from "@colyseus/auth";
import type { Database } from "better-sqlite3";
import type { Logger } from "./logger.ts";
import type { User } from "../wire.ts";

/** A user as the server and its tokens know it (src/wire.ts, shared with clients). */
export type { User };

export interface AccountStore {
  /** A new anonymous user (`POST /auth/anonymous`). */
  createAnonymous(): User;
  /**
   * Registers `email` with a password hash made by @colyseus/auth's `Hash.make`. With `upgrading`
   * (the id of the anonymous user whose token came with the request), that user gets the email and
   * keeps its id, so its sessions stay its own. Throws `Error("email_already_in_use")` (the
   * package's code) when the email is taken.
   */
  register(email: string, passwordHash: string, upgrading?: string): User;
  /** The user with this email (case-insensitive) with its password hash, or undefined. */
  findByEmail(email: string): (User & { password: string }) | undefined;
  /** The user, or undefined for an unknown id. */
  get(id: string): User | undefined;
}

interface UserRow {
  id: string;
  email: string | null;
  password: string | null;
  anonymous: number;
}

function toUser(row: UserRow): User {
  return row.email === null ? { id: row.id, anonymous: row.anonymous === 1 } : { id: row.id, email: row.email, anonymous: row.anonymous === 1 };
}

/** The users of `db` (migrated). `now` gives ISO-8601 times; `newId` new user ids (default: UUIDs). */
export function createAccountStore(db: Database, options: { now: () => string; newId?: () => string }): AccountStore {
  const newId = options.newId ?? randomUUID;
  const insert = db.prepare("INSERT INTO users (id, email, password, anonymous, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
  const upgrade = db.prepare("UPDATE users SET email = ?, password = ?, anonymous = 0, updated_at = ? WHERE id = ? AND anonymous = 1");
  const byEmail = db.prepare("SELECT id, email, password, anonymous FROM users WHERE email = ?");
  const byId = db.prepare("SELECT id, email, password, anonymous FROM users WHERE id = ?");
  const get = (id: string): User | undefined => {
    const row = byId.get(id) as UserRow | undefined;
    return row && toUser(row);
  };
  return {
    createAnonymous() {
      const id = newId();
      const now = options.now();
      insert.run(id, null, null, 1, now, now);
      return { id, anonymous: true };
    },
    register(email, passwordHash, upgrading) {
      if (byEmail.get(email) !== undefined) throw new Error("email_already_in_use");
      const now = options.now();
      if (upgrading !== undefined && upgrade.run(email, passwordHash, now, upgrading).changes === 1) return get(upgrading)!;
      const id = newId();
      insert.run(id, email, passwordHash, 0, now, now);
      return { id, email, anonymous: false };
    },
    findByEmail(email) {
      const row = byEmail.get(email) as UserRow | undefined;
      return row?.password ? { ...toUser(row), password: row.password } : undefined;
    },
    get,
  };
}

/** What a token carries: the user's id, and whether it is anonymous. */
export interface TokenClaims {
  id: string;
  anonymous: boolean;
}

/** The claims a token is signed with for `user` (no email: a token may be logged by proxies). */
export function claimsOf(user: User): TokenClaims {
  return { id: user.id, anonymous: user.anonymous };
}

/**
 * The user a bearer token stands for: verified with the package's JWT (signature, algorithm), then
 * looked up in `accounts`. Undefined for a missing, malformed, forged or expired token, or one whose
 * user this server does not have.
 */
export async function userOfToken(accounts: AccountStore, token: string | undefined): Promise<User | undefined> {
  if (!token) return undefined;
  try {
    const claims = await JWT.verify<Partial<TokenClaims>>(token);
    return typeof claims?.id === "string" ? accounts.get(claims.id) : undefined;
  } catch {
    return undefined;
  }
}

/** The bearer token of an `Authorization` header (`Bearer <token>`), or undefined. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header || !header.toLowerCase().startsWith("bearer ")) return undefined;
  return header.slice(7).trim() || undefined;
}

/** File under `DATA_DIR` that keeps a generated development secret across restarts. */
export const AUTH_SECRET_FILE = ".auth-secret";

/**
 * The secret tokens are signed with: `AUTH_SECRET` when set; else a development secret generated
 * once (32 random bytes, hex), written to `DATA_DIR/.auth-secret` with mode 0600 and read back at
 * every start, so restarts keep tokens valid. Logs that it generated one, never the value.
 * Throws when the file exists but cannot be read, or cannot be written.
 */
export function loadAuthSecret(secret: string | undefined, dataDir: string, logger: Logger): string {
  if (secret) return secret;
  const path = join(dataDir, AUTH_SECRET_FILE);
  try {
    const stored = readFileSync(path, "utf8").trim();
    if (stored) return stored;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const generated = randomBytes(32).toString("hex");
  writeFileSync(path, `${generated}\n`, { mode: 0o600 });
  logger.warn({ path }, "AUTH_SECRET is unset: generated a development secret for signing player tokens and saved it with mode 0600 (set AUTH_SECRET in production)");
  return generated;
}
