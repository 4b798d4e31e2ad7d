// The WAL checkpointer's thread (src/server/store.ts, `startCheckpointer`): its own better-sqlite3
// connection to the server's database runs each PASSIVE checkpoint it is asked for, so the copy of
// the WAL into the database file and its fsyncs (5–8 ms here for a small world, more under load)
// never block the event loop that runs the ticks. A PASSIVE checkpoint never waits for a writer:
// it copies what it can and leaves the rest to the next one. Plain JavaScript: tsx's hooks do not
// load in Node 20's worker threads.
//
// Messages in: "checkpoint", "close". Out: { type: "checkpointed", log, checkpointed } after each
// checkpoint (frames in the WAL, frames copied), { type: "failed", message } when one threw.
import { parentPort, workerData } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";

const db = new BetterSqlite3(workerData.path, { fileMustExist: true });
// This connection never writes; it must not checkpoint on its own either.
db.pragma("wal_autocheckpoint = 0");

parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ type: "checkpointed", log: result.log, checkpointed: result.checkpointed });
  } catch (e) {
    parentPort.postMessage({ type: "failed", message: String(e?.message ?? e) });
  }
});
