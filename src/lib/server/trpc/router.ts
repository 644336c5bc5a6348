import { router } from './init';
import { adminRouter } from './routers/admin';
import { callbacksRouter } from './routers/callbacks';
import { callControlRouter } from './routers/call-control';
import { callsRouter } from './routers/calls';
import { campaignsRouter } from './routers/campaigns';
import { complianceRouter } from './routers/compliance';
import { crmRouter } from './routers/crm';
import { outboundRouter } from './routers/outbound';
import { preferencesRouter } from './routers/preferences';
import { qualityRouter } from './routers/quality';
import { searchRouter } from './routers/search';
import { reportsRouter } from './routers/reports';
import { smsRouter } from './routers/sms';
import { transfersRouter } from './routers/transfers';

export const appRouter = router({
	admin: adminRouter,
	callbacks: callbacksRouter,
	callControl: callControlRouter,
	calls: callsRouter,
	campaigns: campaignsRouter,
	compliance: complianceRouter,
	crm: crmRouter,
	outbound: outboundRouter,
	preferences: preferencesRouter,
	quality: qualityRouter,
	search: searchRouter,
	reports: reportsRouter,
	sms: smsRouter,
	transfers: transfersRouter
});

export type AppRouter = typeof appRouter;
