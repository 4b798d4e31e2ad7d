// Command-line options of the load tools (the load-test runner, the soak): parsing with
// node:util parseArgs and the checks every bound goes through, with one way of failing: the tool's
// name, what was wrong naming the flag, the usage, and exit code 2.
import { parseArgs } from "node:util";

/** The option helpers of `tool` (its name in messages), whose usage text is `usage`. */
export function optionReader(tool, usage) {
  /** Prints `message` and the usage; exits with code 2. */
  function fail(message) {
    console.error(`${tool}: ${message}\n\n${usage}`);
    process.exit(2);
  }
  return {
    fail,
    /** argv parsed strictly by `spec`; prints the usage and exits 0 on --help, 2 on a bad option. */
    parse(argv, spec) {
      let values;
      try {
        ({ values } = parseArgs({ args: argv, options: spec, strict: true }));
      } catch (e) {
        fail(e.message);
      }
      if (values.help) {
        console.log(usage);
        process.exit(0);
      }
      return values;
    },
    /** `raw` as an integer in [min, max], or fails naming `--name`. */
    readInt(name, raw, min, max) {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) fail(`--${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
      return n;
    },
    /** Accepts only a ws:// or wss:// `--endpoint` whose host is on this machine; fails otherwise. */
    checkLoopback(endpoint) {
      let url;
      try {
        url = new URL(endpoint);
      } catch {
        fail(`--endpoint: "${endpoint}" is not a URL`);
      }
      if (url.protocol !== "ws:" && url.protocol !== "wss:") fail(`--endpoint: expected ws:// or wss://, got ${url.protocol}`);
      if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/.test(url.hostname)) {
        fail(`--endpoint: ${url.hostname} is not a loopback address; the ${tool} only targets this machine`);
      }
    },
    /** `raw` as a finite number in [min, max], or fails naming `--name`. */
    readNumber(name, raw, min, max) {
      const n = Number(raw);
      if (raw === "" || !Number.isFinite(n) || n < min || n > max) fail(`--${name}: expected a number from ${min} to ${max}, got "${raw}"`);
      return n;
    },
  };
}
