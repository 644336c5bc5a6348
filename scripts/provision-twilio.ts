/** `npm run provision -- [--dry-run] [--numbers ...]`: configure the Twilio account's numbers for Switchboard (see --help). */
import { runProvisionCli } from '../src/lib/server/provision-cli';

const code = await runProvisionCli(process.argv.slice(2), { env: process.env, print: (line) => console.log(line) });
process.exit(code);
