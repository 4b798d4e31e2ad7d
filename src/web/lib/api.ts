/**
 * JSON over the server's HTTP API, same-origin (`fetch`'s default credentials: the README's CORS
 * rule). Every failure becomes an {@link ApiError} carrying the server's code and message, so the
 * page can show them in words; a network failure is `network/unreachable`.
 */
import type { ErrorBody } from "../../wire.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  /** A player token: sent as `Authorization: Bearer <token>`. */
  token?: string;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token !== undefined) headers["Authorization"] = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, { method: options.method ?? "GET", headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch (error) {
    throw new ApiError(0, "network/unreachable", `the server cannot be reached (${error instanceof Error ? error.message : String(error)})`);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const body = parse(text);
  if (!response.ok) throw errorOf(response.status, body, text);
  return body as T;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The standard `{ error: { code, message } }`, @colyseus/auth's `{ error: "invalid_credentials" }`, or the status. */
function errorOf(status: number, body: unknown, text: string): ApiError {
  const error = (body as Partial<ErrorBody> | undefined)?.error as unknown;
  if (error && typeof error === "object" && "code" in error) {
    const { code, message, details } = error as ErrorBody["error"];
    return new ApiError(status, code, message, details);
  }
  if (typeof error === "string") return new ApiError(status, `auth/${error}`, error.replaceAll("_", " "));
  return new ApiError(status, `http/${status}`, text.slice(0, 200) || `HTTP ${status}`);
}

/** A human sentence for any error: the server's message with its code, or the exception's text. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
