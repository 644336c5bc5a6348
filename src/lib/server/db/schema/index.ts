/** Every archive table, by area. drizzle-kit reads this file to generate migrations. */
export * from './auth';
export * from './crm';
export * from './staff';
export * from './compliance';
export * from './calls';
export * from './webhooks';
export * from './sms';
export * from './callbacks';
export * from './preferences';
export * from './admin';
export * from './campaigns';
export * from './quality';
export * from './transcripts';
export * from './reporting';
export * from './transfers';
export * from './call-control';
