/** Convex's scheduled jobs (a real deployment runs them; the local engine has none, and restarts empty). */
import { cronJobs } from 'convex/server';
import { internal } from './_generated/api';

const crons = cronJobs();

// Lapsed SMS reply leases otherwise stay until someone replies in that thread again.
crons.interval('sweep lapsed sms thread locks', { minutes: 5 }, internal.smsLocks.sweepLapsed, {});

export default crons;
