/** The public JWKS for Convex's custom JWT auth; see src/lib/server/live/jwks-endpoint.ts. */
export { GET } from '$lib/server/live/jwks-endpoint';
