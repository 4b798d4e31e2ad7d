/**
 * Signing in (README "Accounts"): a guest (anonymous) or an email and a password, through the
 * SDK's `client.auth`, which keeps the token in the browser's storage so a reload stays signed in.
 */
import type { Client } from "@colyseus/sdk";
import type { User } from "../../wire.ts";
import { byId } from "../lib/dom.ts";

export interface SignedIn {
  token: string;
  userId: string;
  label: string;
}

const describeUser = (user: User): string => (user.anonymous ? "Signed in as a guest" : `Signed in as ${user.email ?? user.id}`);

/** The stored sign-in when its token is still good; undefined otherwise (the token is dropped). */
export async function restoreSignIn(client: Client): Promise<SignedIn | undefined> {
  if (!client.auth.token) return undefined;
  try {
    const { user } = await client.auth.getUserData<User>();
    return { token: client.auth.token, userId: user.id, label: describeUser(user) };
  } catch {
    await client.auth.signOut();
    return undefined;
  }
}

/** Wires the sign-in card; resolves once the player is signed in. Failures are shown in the card. */
export function awaitSignIn(client: Client): Promise<SignedIn> {
  const error = byId("sign-in-error");
  const form = byId<HTMLFormElement>("email-form");
  const guest = byId<HTMLButtonElement>("anonymous");
  return new Promise((resolve) => {
    const attempt = async (run: () => Promise<{ user: User; token: string }>) => {
      error.textContent = "";
      guest.disabled = true;
      try {
        const { user, token } = await run();
        resolve({ token, userId: user.id, label: describeUser(user) });
      } catch (e) {
        error.textContent = authMessage(e);
      } finally {
        guest.disabled = false;
      }
    };
    guest.addEventListener("click", () => void attempt(() => client.auth.signInAnonymously<User>()));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const email = byId<HTMLInputElement>("email").value.trim();
      const password = byId<HTMLInputElement>("password").value;
      const mode = (event.submitter as HTMLButtonElement | null)?.dataset["mode"];
      if (!email || !password) {
        error.textContent = "Give an email and a password (at least 6 characters).";
        return;
      }
      void attempt(() => (mode === "register" ? client.auth.registerWithEmailAndPassword<User>(email, password) : client.auth.signInWithEmailAndPassword<User>(email, password)));
    });
  });
}

/** @colyseus/auth answers codes such as `invalid_credentials`: shown as words. */
function authMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const known: Record<string, string> = {
    invalid_credentials: "Wrong email or password.",
    email_already_in_use: "That email already has an account: log in instead.",
    email_malformed: "That is not an email address.",
    password_too_short: "The password needs at least 6 characters.",
  };
  return known[text] ?? `Sign-in failed: ${text.replaceAll("_", " ")}`;
}
