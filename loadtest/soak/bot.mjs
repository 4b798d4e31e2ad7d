// Soak bots: full @colyseus/sdk 0.18 clients that play for as long as the soak lasts. Each one:
// - joins `world` (joinOrCreate with its worldId) with the run's player token, walks a few moves a
//   second (runner/bot-tally.mjs: mostly straight on, so it pushes others and the NPCs), and skips
//   its moves while downed;
// - now and then visits an NPC with interaction slots (navigate.mjs), and whenever it stands next
//   to one, sends `interact { targetId, slotId }` (for a `give_item` slot, `offer { itemId }` of an
//   item it carries first), at most one attempt waiting for its reply and one every 1.2–2 s (the
//   server allows 2 a second);
// - drops its connection at random (exponential, mean --reconnect-every) without leaving: the TCP
//   socket is destroyed (`ws.terminate()`, as test/server/reconnect.test.ts does), which the server
//   sees as a lost connection (1006). After a 0.5–3 s outage it calls
//   `client.reconnect(room.reconnectionToken)`; it counts a success when `welcome` names its actor
//   again, a failure otherwise, and then joins afresh.
// A connection that closes when the bot did not drop it is an unexpected disconnect: counted with
// its close code, and the bot joins afresh 3 s later. The SDK's own reconnection is off, so every
// reconnection is the bot's and is counted.
import { Client } from "@colyseus/sdk";
import { DIRS, nextDirection, scheduleNextMove } from "../runner/bot-tally.mjs";
import { createFieldCache, isAdjacent, stepToward } from "./navigate.mjs";
import { JOIN_TIMEOUT_MS } from "./options.mjs";

/** Attempts of a bot's first join before it counts as unable to join. */
const INITIAL_JOIN_ATTEMPTS = 3;
const RECONNECT_TIMEOUT_MS = 10_000;
const WELCOME_TIMEOUT_MS = 10_000;
const REPLY_TIMEOUT_MS = 3_000;
const LEAVE_TIMEOUT_MS = 5_000;
const REJOIN_DELAY_MS = 3_000;

/**
 * The driver of one worker's bots: { join(bot), act(bot, now), drop(bot), reconnect(bot), leave(bot) }.
 * `world` is readWorldInfo()'s result, or null (no map, no slot NPCs: bots only wander); `tally`
 * counts: add(key) and note(table, key).
 */
export function createSoakDriver({ endpoint, token, rate, reconnectEveryMs, world, tally }) {
  const fieldOf = world ? createFieldCache(world.map) : null;

  async function join(bot) {
    bot.state = "joining";
    const client = new Client(endpoint);
    // The run's player token (sign-in.mjs): a join needs one (issue 12).
    client.auth.token = token;
    const joining = client.joinOrCreate("world", { worldId: bot.worldId, name: bot.name });
    const room = await withTimeout(joining, JOIN_TIMEOUT_MS, `join timed out after ${JOIN_TIMEOUT_MS / 1000} s`).catch((e) => e);
    if (!room?.connection) return joinFailed(bot, joining, room);
    if (bot.state === "stopped") return void room.leave(true).catch(() => {});
    bot.client = client;
    tally.add(bot.joinedOnce ? "rejoins" : "joins");
    bot.joinedOnce = true;
    bot.actorId = undefined;
    attach(bot, room);
    planDrop(bot, Date.now());
  }

  function joinFailed(bot, joining, error) {
    joining.then((late) => late.leave(true).catch(() => {}), () => {});
    tally.add("joinFailures");
    tally.note("joinErrors", String(error?.message ?? error ?? "join failed").slice(0, 160));
    if (bot.state === "stopped") return;
    bot.attempts = (bot.attempts ?? 0) + 1;
    if (!bot.joinedOnce && bot.attempts >= INITIAL_JOIN_ATTEMPTS) {
      bot.state = "failed";
      tally.add("joinsAbandoned");
      return;
    }
    bot.state = "waiting";
    bot.joinAt = Date.now() + 2000 * bot.attempts;
  }

  /** Wires a joined (or reconnected) room: welcome, replies, errors, leave. */
  function attach(bot, room) {
    room.reconnection.enabled = false;
    bot.room = room;
    bot.state = "joined";
    bot.welcomed = false;
    bot.pending = undefined;
    room.onMessage("welcome", (m) => welcomed(bot, room, m));
    room.onMessage("interaction", (m) => {
      tally.add(m?.success ? "interactSuccess" : "interactFailure");
      tally.note("replies", `${m?.interactionId} (${m?.slotId}): ${m?.success ? "success" : "failure"}`);
      bot.pending = undefined;
    });
    room.onMessage("error", (m) => errorArrived(bot, String(m?.code ?? "unknown")));
    room.onMessage("*", () => {});
    room.onError((code, message) => {
      tally.add("errors");
      tally.note("errorCodes", `room-error ${code}${message ? `: ${String(message).slice(0, 80)}` : ""}`);
    });
    room.onLeave((code) => closed(bot, room, code));
    bot.nextMoveAt = Date.now() + Math.random() * (1000 / rate);
  }

  function welcomed(bot, room, m) {
    if (bot.room !== room) return;
    if (bot.reconnecting) {
      bot.reconnecting = false;
      clearTimeout(bot.welcomeTimer);
      if (m?.actorId !== bot.actorId) return reconnectFailed(bot, `welcome named another actor (${m?.actorId}, not ${bot.actorId})`);
      tally.add("reconnectOk");
    }
    bot.actorId = m?.actorId;
    bot.welcomed = true;
  }

  function errorArrived(bot, code) {
    if (code.startsWith("interaction/")) {
      tally.add("interactRefused");
      tally.note("refusals", code);
      bot.pending = undefined;
      return;
    }
    tally.add("errors");
    tally.note("errorCodes", code);
  }

  function closed(bot, room, code) {
    if (bot.room !== room || bot.state === "stopped") return;
    bot.room = undefined;
    if (bot.dropping) {
      bot.dropping = false;
      bot.state = "dropped";
      bot.reconnectAt = Date.now() + 500 + Math.random() * 2500;
      return;
    }
    tally.add("disconnects");
    tally.note("disconnectCodes", String(code));
    rejoinLater(bot);
  }

  function rejoinLater(bot) {
    bot.reconnecting = false;
    bot.state = "waiting";
    bot.joinAt = Date.now() + REJOIN_DELAY_MS;
  }

  function planDrop(bot, now) {
    bot.dropAt = reconnectEveryMs > 0 ? now - reconnectEveryMs * Math.log(1 - Math.random()) : Infinity;
  }

  /** Loses the connection without a leave: the TCP socket goes away (no close frame). */
  function drop(bot) {
    const ws = bot.room?.connection?.transport?.ws;
    if (!ws || typeof ws.terminate !== "function") return planDrop(bot, Date.now());
    bot.token = bot.room.reconnectionToken;
    bot.dropping = true;
    bot.dropAt = Infinity;
    tally.add("drops");
    ws.terminate();
  }

  async function reconnect(bot) {
    bot.state = "reconnecting";
    const reconnecting = bot.client.reconnect(bot.token);
    const room = await withTimeout(reconnecting, RECONNECT_TIMEOUT_MS, `no answer within ${RECONNECT_TIMEOUT_MS / 1000} s`).catch((e) => e);
    if (bot.state === "stopped") return void (room?.connection && room.leave(true).catch(() => {}));
    if (!room?.connection) {
      reconnecting.then((late) => late.leave(true).catch(() => {}), () => {});
      return reconnectFailed(bot, String(room?.message ?? room ?? "reconnect failed"));
    }
    bot.reconnecting = true;
    attach(bot, room);
    planDrop(bot, Date.now());
    bot.welcomeTimer = setTimeout(() => {
      if (bot.reconnecting && bot.room === room) reconnectFailed(bot, `no welcome within ${WELCOME_TIMEOUT_MS / 1000} s of the reconnection`);
    }, WELCOME_TIMEOUT_MS);
  }

  function reconnectFailed(bot, reason) {
    tally.add("reconnectFailed");
    tally.note("reconnectErrors", reason.slice(0, 160));
    if (bot.room) {
      const room = bot.room;
      bot.room = undefined;
      room.leave(true).catch(() => {});
    }
    rejoinLater(bot);
  }

  /** One turn of a joined bot: interact when next to a slot NPC, else one move. */
  function act(bot, now) {
    scheduleNextMove(bot, now, rate);
    const state = bot.room?.state;
    const me = bot.welcomed && state?.actors?.get(bot.actorId);
    if (!me || me.downed) return;
    if (bot.pending && now - bot.pending.sentAt > REPLY_TIMEOUT_MS) {
      tally.add("interactNoReply");
      bot.pending = undefined;
    }
    const npc = world && !bot.pending && now >= (bot.interactAt ?? 0) ? adjacentSlotNpc(state, me) : undefined;
    if (npc) return interact(bot, npc, me, now);
    const dir = chooseDirection(bot, state, me, now);
    if (!dir) return;
    bot.room.send("move", { dir });
    tally.add("movesOut");
  }

  function adjacentSlotNpc(state, me) {
    return world.slotNpcs.find((npc) => {
      const at = positionOf(state, npc);
      return isAdjacent(me.x, me.y, at[0], at[1]);
    });
  }

  function interact(bot, npc, me, now) {
    const slot = npc.slots[Math.floor(Math.random() * npc.slots.length)];
    if (slot.interactionId === "give_item") {
      const itemId = me.owner?.items ? [...me.owner.items.keys()][0] : undefined;
      if (itemId) bot.room.send("offer", { itemId });
    }
    bot.room.send("interact", { targetId: npc.id, slotId: slot.slotId });
    bot.pending = { sentAt: now };
    bot.interactAt = now + 1200 + Math.random() * 800;
    tally.add("interactSent");
    if (bot.mode === "visit" && --bot.visitsLeft <= 0) wander(bot, now);
  }

  /** Wanders for 15–45 s, then visits a slot NPC (half the time) or wanders on. */
  function chooseDirection(bot, state, me, now) {
    if (now >= (bot.modeUntil ?? 0)) {
      if (world?.slotNpcs.length && bot.mode !== "visit" && Math.random() < 0.5) visit(bot, now);
      else wander(bot, now);
    }
    if (bot.mode !== "visit") return nextDirection(bot);
    const at = positionOf(state, bot.target);
    // Next to it, waiting for the next attempt: stay.
    if (isAdjacent(me.x, me.y, at[0], at[1])) return undefined;
    const stuck = bot.lastAt === `${me.x},${me.y}` ? (bot.stuck = (bot.stuck ?? 0) + 1) : (bot.stuck = 0);
    bot.lastAt = `${me.x},${me.y}`;
    // Held up by a crowd or a refused push: one step aside, then on.
    if (stuck >= 3 && stuck % 3 === 0) return DIRS[Math.floor(Math.random() * 4)];
    const dir = stepToward(fieldOf(bot.target.id, at), me.x, me.y);
    if (dir === undefined) wander(bot, now);
    return dir;
  }

  function visit(bot, now) {
    bot.mode = "visit";
    bot.target = world.slotNpcs[Math.floor(Math.random() * world.slotNpcs.length)];
    bot.visitsLeft = 1 + Math.floor(Math.random() * 3);
    bot.modeUntil = now + 90_000;
    bot.stuck = 0;
  }

  function wander(bot, now) {
    bot.mode = "wander";
    bot.modeUntil = now + 15_000 + Math.random() * 30_000;
  }

  async function leave(bot) {
    const room = bot.room;
    bot.state = "stopped";
    clearTimeout(bot.welcomeTimer);
    if (!room) return;
    await withTimeout(room.leave(true), LEAVE_TIMEOUT_MS, "leave").catch(() => {});
  }

  return { join, act, drop, reconnect, leave };
}

/** Where the NPC stands: as synced when in the bot's view, else where the world file put it. */
function positionOf(state, npc) {
  const seen = state.actors.get(npc.id);
  return seen ? [seen.x, seen.y] : npc.at;
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]);
}
