/** Convex's scheduled jobs (a real deployment runs them; the local engine has none, and restarts empty). */
import { cronJobs } from 'convex/server';
import { internal } from './_generated/api';

const crons = cronJobs();

// Lapsed SMS reply leases otherwise stay until someone replies in that thread again.
crons.interval('sweep lapsed sms thread locks', { minutes: 5 }, internal.smsLocks.sweepLapsed, {});

// Transfer offers nobody answered time out; closed transfer rows leave after their minute.
crons.interval('time out transfer offers', { seconds: 10 }, internal.transfers.sweepExpired, {});

export default crons;
