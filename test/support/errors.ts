/** Assertion helpers for coded start-up errors (src/errors.ts). */
import { expect } from "vitest";
import { ArbiterError, type ErrorCode } from "../../src/errors.ts";

/** Runs `fn`, expects it to throw an ArbiterError with `code`, and returns the error. */
export function expectArbiterError(fn: () => unknown, code: ErrorCode): ArbiterError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "an ArbiterError").toBeInstanceOf(ArbiterError);
  const error = thrown as ArbiterError;
  expect(error.code, error.message).toBe(code);
  return error;
}
