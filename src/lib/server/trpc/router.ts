import { router } from './init';
import { adminRouter } from './routers/admin';
import { crmRouter } from './routers/crm';

export const appRouter = router({
	admin: adminRouter,
	crm: crmRouter
});

export type AppRouter = typeof appRouter;
