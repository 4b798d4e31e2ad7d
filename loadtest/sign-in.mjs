// Player sign-in for the load tools (bots, the load-test runner, the fuzzer), issue 12: a join needs
// a player token from @colyseus/auth's routes. One anonymous user per tool run owns every session
// its bots create (a join without a sessionId makes a new session, so they never collide), so a run
// of thousands of bots signs in once and meets no sign-in limit (AUTH_RATE_LIMIT).

/**
 * POST /auth/anonymous on the server behind `endpoint` (ws:// or http://). Resolves the token, or
 * undefined when the server has no such route (the bare Colyseus room of --compare-bare). Rejects
 * with the server's answer for anything else.
 */
export async function signInAnonymously(endpoint) {
  const httpBase = endpoint.replace(/^ws/, "http");
  const response = await fetch(`${httpBase}/auth/anonymous`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) return undefined;
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== "string") throw new Error(`sign-in failed: http ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  return body.token;
}
