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
import type * as activeCalls from "../activeCalls.js";
import type * as agentSkills from "../agentSkills.js";
import type * as agentStatus from "../agentStatus.js";
import type * as callBoard from "../callBoard.js";
import type * as callControl from "../callControl.js";
import type * as callHydration from "../callHydration.js";
import type * as callLine from "../callLine.js";
import type * as callWrapup from "../callWrapup.js";
import type * as campaignQueue from "../campaignQueue.js";
import type * as contactTabs from "../contactTabs.js";
import type * as crons from "../crons.js";
import type * as health from "../health.js";
import type * as lib_authJwks from "../lib/authJwks.js";
import type * as lib_callLine from "../lib/callLine.js";
import type * as lib_callRows from "../lib/callRows.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_functions from "../lib/functions.js";
import type * as lib_indexCount from "../lib/indexCount.js";
import type * as lib_observe from "../lib/observe.js";
import type * as lib_routing from "../lib/routing.js";
import type * as lib_transferLegs from "../lib/transferLegs.js";
import type * as liveTranscript from "../liveTranscript.js";
import type * as smsLocks from "../smsLocks.js";
import type * as smsMessages from "../smsMessages.js";
import type * as transfers from "../transfers.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  activeCalls: typeof activeCalls;
  agentSkills: typeof agentSkills;
  agentStatus: typeof agentStatus;
  callBoard: typeof callBoard;
  callControl: typeof callControl;
  callHydration: typeof callHydration;
  callLine: typeof callLine;
  callWrapup: typeof callWrapup;
  campaignQueue: typeof campaignQueue;
  contactTabs: typeof contactTabs;
  crons: typeof crons;
  health: typeof health;
  "lib/authJwks": typeof lib_authJwks;
  "lib/callLine": typeof lib_callLine;
  "lib/callRows": typeof lib_callRows;
  "lib/errors": typeof lib_errors;
  "lib/functions": typeof lib_functions;
  "lib/indexCount": typeof lib_indexCount;
  "lib/observe": typeof lib_observe;
  "lib/routing": typeof lib_routing;
  "lib/transferLegs": typeof lib_transferLegs;
  liveTranscript: typeof liveTranscript;
  smsLocks: typeof smsLocks;
  smsMessages: typeof smsMessages;
  transfers: typeof transfers;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;
