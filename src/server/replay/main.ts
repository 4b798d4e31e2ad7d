/**
 * Entry point of `npm run replay` (cli.ts): `.env` files as the server reads them, then the tool;
 * its exit code becomes the process's.
 */
import { loadEnvFiles } from "../config.ts";
import { runReplayCli } from "./cli.ts";

loadEnvFiles();
process.exitCode = await runReplayCli(process.argv.slice(2), process.env, {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
});
