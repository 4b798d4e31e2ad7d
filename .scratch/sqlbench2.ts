import Database from "better-sqlite3";
const cols = "at, tick, world_id, session_id, actor_id, target_id, slot_id, interaction_id, source, payload, verdict, code";
function setup(index: boolean) {
  const db = new Database(":memory:");
  db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, tick INTEGER NOT NULL, world_id TEXT NOT NULL, session_id TEXT, actor_id TEXT NOT NULL, target_id TEXT, slot_id TEXT, interaction_id TEXT, source TEXT NOT NULL, payload TEXT NOT NULL, verdict TEXT NOT NULL, code TEXT);` + (index ? `CREATE INDEX a_wt ON a (world_id, tick);` : ""));
  return db;
}
const row = (i: number, t: number) => ["2026-11-30T07:50:00.000Z", t, "bench-interactions", "s-" + i, "player-" + i, "npc-" + i, "chat", "talk", "client", '{"targetId":"npc-' + i + '","slotId":"chat"}', "executed", null];
function time(name: string, run: (t: number) => void) {
  for (let t = 0; t < 30; t++) run(t);
  const t0 = process.hrtime.bigint();
  for (let t = 30; t < 130; t++) run(t);
  console.log(name.padEnd(30), (Number(process.hrtime.bigint() - t0) / 1e6 / 100).toFixed(3), "ms per 1000 rows");
}
{
  const db = setup(true);
  const many = db.prepare(`INSERT INTO a (${cols}) VALUES ${Array(64).fill("(" + Array(12).fill("?").join(",") + ")").join(",")}`);
  const one = db.prepare(`INSERT INTO a (${cols}) VALUES (${Array(12).fill("?").join(",")})`);
  time("multi-row 64", db.transaction((t: number) => { const v: unknown[] = []; for (let i = 0; i < 1000; i++) v.push(...row(i, t)); let at = 0; for (; at + 768 <= v.length; at += 768) many.run(v.slice(at, at + 768)); for (; at < v.length; at += 12) one.run(v.slice(at, at + 12)); }));
}
{
  const db = setup(true);
  const ins = db.prepare(`INSERT INTO a (${cols}) SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9, value->>10, value->>11 FROM json_each(?)`);
  time("json_each one statement", db.transaction((t: number) => { const rows = []; for (let i = 0; i < 1000; i++) rows.push(row(i, t)); ins.run(JSON.stringify(rows)); }));
}
{
  const db = setup(false);
  const one = db.prepare(`INSERT INTO a (${cols}) VALUES (${Array(12).fill("?").join(",")})`);
  time("single, no index", db.transaction((t: number) => { for (let i = 0; i < 1000; i++) one.run(row(i, t)); }));
}
