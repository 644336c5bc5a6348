/**
 * A REST route's path pattern, built from the shared SID rules so the carrier's routes accept
 * exactly the SIDs Switchboard checks elsewhere: the template's text is regex source (read as
 * `String.raw` reads it), anchored at both ends.
 */
export function routePath(strings: TemplateStringsArray, ...sources: string[]): RegExp {
	return new RegExp(`^${String.raw(strings, ...sources)}$`);
}
