/**
 * @colyseus/auth's standard routes, what the SDK's `client.auth.*` calls, bound to this server's
 * users (src/server/accounts.ts):
 * - `POST /auth/anonymous` → `{ user, token }`: a new anonymous user;
 * - `POST /auth/register` `{ email, password }` → `{ user, token }`; with an anonymous user's token
 *   (`Authorization: Bearer …`, as `client.auth.registerWithEmailAndPassword` sends it when signed
 *   in) that user gets the email and keeps its id and sessions;
 * - `POST /auth/login` `{ email, password }` → `{ user, token }`;
 * - `GET /auth/userdata` (token) → `{ user }`.
 * Their errors are the package's, which the SDK reads: 401 `{ error: "invalid_credentials" }`,
 * `"email_already_in_use"`, `"email_malformed"`, `"password_too_short"` (under 6 characters).
 * Limits (issue 12): per client address at the edge (http/edge.ts, `AUTH_RATE_LIMIT`), and here
 * per account (`ACCOUNT_RATE_LIMIT` logins or registrations per email per 15 minutes), answering
 * 429 `request/rate-limited` with `Retry-After`. The package's settings are process-wide: one
 * server per process binds them, as Colyseus assumes.
 */
import { anonymousEndpoint, auth, JWT, loginEndpoint, registerEndpoint, userdataEndpoint } from "@colyseus/auth";
import { createEndpoint } from "@colyseus/better-call";
import { z } from "zod";
import { claimsOf, type AccountStore, type User } from "../accounts.ts";
import { apiError, rejectInvalid } from "./errors.ts";
import type { AttemptLimiter } from "./rate-limit.ts";

/** Longest email and password a request may carry, characters (RFC 5321's path limit; a passphrase). */
const MAX_EMAIL = 254;
const MAX_PASSWORD = 1024;

const credentials = z.object({ email: z.string().max(MAX_EMAIL), password: z.string().max(MAX_PASSWORD) });

/** What the auth routes need of the server. */
export interface AuthRouteServices {
  accounts: AccountStore;
  /** The secret tokens are signed with (accounts.ts `loadAuthSecret`). */
  authSecret: string;
  /** Per account: logins and registrations, keyed by lower-cased email. */
  accountLimits: { login: AttemptLimiter; register: AttemptLimiter };
}

/**
 * Throws 429 `request/rate-limited` when `key` is over `limiter`'s limit, with `Retry-After` (s) set
 * on `ctx` (better-call answers an error thrown by a handler with the context's headers, not the
 * error's).
 */
export async function refuseOverLimit(ctx: { setHeader(name: string, value: string): void }, limiter: AttemptLimiter, key: string, what: string): Promise<void> {
  const waitS = await limiter.attempt(key);
  if (waitS === undefined) return;
  ctx.setHeader("Retry-After", String(waitS));
  throw apiError("request/rate-limited", `too many ${what}; retry in ${waitS} s`);
}

export function authRoutes(services: AuthRouteServices) {
  JWT.settings.secret = services.authSecret;
  Object.assign(auth.settings, {
    onFindUserByEmail: async (email: string) => services.accounts.findByEmail(email),
    onRegisterWithEmailAndPassword: async (email: string, passwordHash: string, options: { upgradingToken?: { id?: unknown; anonymous?: unknown } }) => {
      const upgrading = options.upgradingToken?.anonymous === true && typeof options.upgradingToken.id === "string" ? options.upgradingToken.id : undefined;
      return services.accounts.register(email, passwordHash, upgrading);
    },
    onRegisterAnonymously: async () => services.accounts.createAnonymous(),
    onGenerateToken: async (user: unknown) => JWT.sign(claimsOf(user as User)),
    onParseToken: async (claims: { id?: unknown }) => {
      const user = typeof claims.id === "string" ? services.accounts.get(claims.id) : undefined;
      if (user === undefined) throw new Error("unknown_user");
      return user;
    },
  });
  const login = loginEndpoint();
  const register = registerEndpoint();
  return {
    authAnonymous: anonymousEndpoint(),
    authUserdata: userdataEndpoint(),
    authLogin: createEndpoint("/auth/login", { method: "POST", body: credentials, onValidationError: rejectInvalid }, async (ctx) => {
      await refuseOverLimit(ctx, services.accountLimits.login, ctx.body.email.toLowerCase(), `logins for ${ctx.body.email}`);
      return login({ body: ctx.body, headers: ctx.headers, asResponse: true });
    }),
    // Only `email` and `password` go through: the package would take a body's `options.upgradingToken`
    // as it is when no token header came with it.
    authRegister: createEndpoint("/auth/register", { method: "POST", body: credentials, onValidationError: rejectInvalid }, async (ctx) => {
      await refuseOverLimit(ctx, services.accountLimits.register, ctx.body.email.toLowerCase(), `registrations for ${ctx.body.email}`);
      return register({ body: { email: ctx.body.email, password: ctx.body.password }, headers: ctx.headers, asResponse: true });
    }),
  };
}
