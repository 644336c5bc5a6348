/** The list of Convex functions the engine serves, read from the loaded modules. */
import { guardOf } from '../../../../../convex/lib/functions';
import type { FunctionInfo } from './protocol';

interface Registered {
	isQuery?: boolean;
	isMutation?: boolean;
	isAction?: boolean;
	isPublic?: boolean;
	isInternal?: boolean;
}

/** `moduleExports` maps a module path without extension ("agentStatus", "lib/functions") to its exports. */
export function listFunctions(moduleExports: Record<string, Record<string, unknown>>): FunctionInfo[] {
	const out: FunctionInfo[] = [];
	for (const [modulePath, exports] of Object.entries(moduleExports)) {
		for (const [exportName, value] of Object.entries(exports)) {
			if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) continue;
			const fn = value as Registered;
			const kind = fn.isQuery ? 'query' : fn.isMutation ? 'mutation' : fn.isAction ? 'action' : null;
			if (!kind) continue;
			const name = exportName === 'default' ? modulePath : `${modulePath}:${exportName}`;
			const guard = guardOf(value);
			out.push({ name, kind, visibility: fn.isPublic ? 'public' : 'internal', guard });
		}
	}
	return out.sort((a, b) => a.name.localeCompare(b.name));
}
