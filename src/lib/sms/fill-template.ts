/**
 * Fills a canned response's placeholders at insert time: {{customer.firstName}}, {{agent.name}},
 * {{company}} (spaces inside the braces allowed, names case-sensitive). A missing value never
 * shows as a raw placeholder or "undefined": it becomes a fallback ("there" for a first name, as
 * in "Hi there"), and unknown placeholders are left as typed so the agent sees and fixes them.
 */

export interface TemplateVars {
	customer?: { firstName?: string | null } | null;
	agent?: { name?: string | null } | null;
	company?: string | null;
}

export const TEMPLATE_VARIABLES = ['customer.firstName', 'agent.name', 'company'] as const;

const FALLBACKS: Record<(typeof TEMPLATE_VARIABLES)[number], string> = {
	'customer.firstName': 'there',
	'agent.name': 'our team',
	company: 'us'
};

const PLACEHOLDER = /\{\{\s*([A-Za-z.]+)\s*\}\}/g;

function valueOf(name: string, vars: TemplateVars): string | null | undefined {
	switch (name) {
		case 'customer.firstName':
			return vars.customer?.firstName;
		case 'agent.name':
			return vars.agent?.name;
		case 'company':
			return vars.company;
		default:
			return undefined;
	}
}

export function fillTemplate(text: string, vars: TemplateVars): string {
	return text.replace(PLACEHOLDER, (whole, name: string) => {
		if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) return whole;
		const value = valueOf(name, vars)?.trim();
		return value ? value : FALLBACKS[name as keyof typeof FALLBACKS];
	});
}

/** Placeholders in `text` that fillTemplate does not know, for the editor's warning. */
export function unknownPlaceholders(text: string): string[] {
	const found = [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
	return [...new Set(found.filter((name) => !(TEMPLATE_VARIABLES as readonly string[]).includes(name)))];
}
