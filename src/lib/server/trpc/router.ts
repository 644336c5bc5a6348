import { router } from './init';
import { adminRouter } from './routers/admin';
import { callbacksRouter } from './routers/callbacks';
import { callsRouter } from './routers/calls';
import { complianceRouter } from './routers/compliance';
import { crmRouter } from './routers/crm';
import { outboundRouter } from './routers/outbound';
import { preferencesRouter } from './routers/preferences';
import { smsRouter } from './routers/sms';

export const appRouter = router({
	admin: adminRouter,
	callbacks: callbacksRouter,
	calls: callsRouter,
	compliance: complianceRouter,
	crm: crmRouter,
	outbound: outboundRouter,
	preferences: preferencesRouter,
	sms: smsRouter
});

export type AppRouter = typeof appRouter;
