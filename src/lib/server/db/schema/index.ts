/** Every archive table, by area. drizzle-kit reads this file to generate migrations. */
export * from './auth';
export * from './crm';
export * from './staff';
