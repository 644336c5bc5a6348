/** `npm run carrier -- <command>`: drive the local carrier of a running Switchboard (see --help). */
import { runCarrierCli } from '../src/lib/server/adapters/telephony/carrier/cli';

const code = await runCarrierCli(process.argv.slice(2), { fetch, print: (line) => console.log(line) });
process.exit(code);
