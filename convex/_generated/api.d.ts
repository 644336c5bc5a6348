/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as agentSkills from "../agentSkills.js";
import type * as agentStatus from "../agentStatus.js";
import type * as calls from "../calls.js";
import type * as contactTabs from "../contactTabs.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_functions from "../lib/functions.js";
import type * as lib_observe from "../lib/observe.js";
import type * as lib_routing from "../lib/routing.js";
import type * as smsLocks from "../smsLocks.js";
import type * as smsMessages from "../smsMessages.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  agentSkills: typeof agentSkills;
  agentStatus: typeof agentStatus;
  calls: typeof calls;
  contactTabs: typeof contactTabs;
  "lib/errors": typeof lib_errors;
  "lib/functions": typeof lib_functions;
  "lib/observe": typeof lib_observe;
  "lib/routing": typeof lib_routing;
  smsLocks: typeof smsLocks;
  smsMessages: typeof smsMessages;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;
