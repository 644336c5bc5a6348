import { setLogLevel } from '../../log';
import { broadcastContract } from './contract';
import { LocalBroadcast } from './local';

// The contract makes one subscriber throw on purpose; its error line is expected.
setLogLevel('silent');

broadcastContract('local emitter', () => Promise.resolve({ port: new LocalBroadcast() }));
