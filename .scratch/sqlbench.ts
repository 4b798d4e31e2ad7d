import Database from "better-sqlite3";
for (const auto of ["AUTOINCREMENT", ""]) {
  const db = new Database(":memory:");
  db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY ${auto}, at TEXT NOT NULL, tick INTEGER NOT NULL, world_id TEXT NOT NULL, session_id TEXT, actor_id TEXT NOT NULL, target_id TEXT, slot_id TEXT, interaction_id TEXT, source TEXT NOT NULL, payload TEXT NOT NULL, verdict TEXT NOT NULL, code TEXT);
  CREATE INDEX a_wt ON a (world_id, tick);`);
  const one = db.prepare("INSERT INTO a (at, tick, world_id, session_id, actor_id, target_id, slot_id, interaction_id, source, payload, verdict, code) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  const row = (i: number, t: number) => ["2026-11-30T07:50:00.000Z", t, "bench-interactions", "s-" + i, "player-" + i, "npc-" + i, "chat", "talk", "client", '{"targetId":"npc-' + i + '","slotId":"chat"}', "executed", null];
  const run = db.transaction((t: number) => { for (let i = 0; i < 1000; i++) one.run(row(i, t)); });
  for (let t = 0; t < 50; t++) run(t);
  const t0 = process.hrtime.bigint();
  for (let t = 50; t < 150; t++) run(t);
  console.log(auto || "rowid", "1000 rows:", (Number(process.hrtime.bigint() - t0) / 1e6 / 100).toFixed(3), "ms");
}
