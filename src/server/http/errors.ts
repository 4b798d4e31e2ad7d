/**
 * HTTP errors: one shape for every route, `{ error: { code, message, details? } }`, with the code's
 * status from the error table (src/errors.ts). Validation failures name the fields.
 */
import { APIError, ValidationError } from "@colyseus/better-call";
import { errorInfo, makeError, type ErrorCode } from "../../errors.ts";
import { formatIssues } from "../../content/format-issues.ts";
import type { Logger } from "../logger.ts";

/** An error to throw from a handler; answered with the table's status and the standard body. */
export function apiError(code: ErrorCode, message?: string, details?: unknown, headers: Record<string, string> = {}): Error {
  return new APIError(errorInfo(code).status as ConstructorParameters<typeof APIError>[0], { error: makeError(code, message, details) } as never, headers);
}

/** `onValidationError` for every endpoint: zod issues → `request/invalid` naming each field. */
export function rejectInvalid({ message, issues }: { message: string; issues: readonly unknown[] }): never {
  const problems = formatIssues(issues as Parameters<typeof formatIssues>[0]);
  throw apiError("request/invalid", problems.length > 0 ? problems.join("; ") : message, { problems });
}

/** The router's `onError`: keeps our errors, translates the rest into the standard body. */
export function createErrorHandler(logger: Logger) {
  return (error: unknown): Response | undefined => {
    const body = (error as { body?: unknown }).body;
    if (error instanceof APIError && body && typeof body === "object" && "error" in body) return undefined;
    if (error instanceof SyntaxError) return errorResponse("request/malformed-json", `the request body is not valid JSON: ${error.message}`);
    if (error instanceof ValidationError) return errorResponse("request/invalid", error.message);
    if (error instanceof APIError) return errorResponse(error.statusCode === 404 ? "request/no-route" : error.statusCode < 500 ? "request/invalid" : "internal", error.message, undefined, error.statusCode);
    logger.error({ err: error }, "unhandled error in an HTTP route");
    return errorResponse("internal");
  };
}

function errorResponse(code: ErrorCode, message?: string, details?: unknown, status: number = errorInfo(code).status): Response {
  return Response.json({ error: makeError(code, message, details) }, { status });
}
