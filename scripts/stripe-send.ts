/**
 * `npm run stripe:send -- <event-type> [options]` or `-- --scenario <name> [options]`: the local
 * stand-in for the Dashboard's "Send test webhook" and the Stripe CLI's `trigger`. Builds realistic
 * events, signs them with the configured secret, posts them and prints each answer. `--help` lists
 * every type, scenario and option.
 */
import { runStripeSend } from './stripe-send/run';

runStripeSend(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
