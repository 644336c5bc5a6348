import { router } from './init';
import { adminRouter } from './routers/admin';
import { callbacksRouter } from './routers/callbacks';
import { callsRouter } from './routers/calls';
import { complianceRouter } from './routers/compliance';
import { crmRouter } from './routers/crm';
import { preferencesRouter } from './routers/preferences';
import { reportsRouter } from './routers/reports';
import { smsRouter } from './routers/sms';

export const appRouter = router({
	admin: adminRouter,
	callbacks: callbacksRouter,
	calls: callsRouter,
	compliance: complianceRouter,
	crm: crmRouter,
	preferences: preferencesRouter,
	reports: reportsRouter,
	sms: smsRouter
});

export type AppRouter = typeof appRouter;
