/** How a customer is named to people: full name, else company, else "Unknown caller". */
export function displayName(c: { firstName: string; lastName: string; company: string }): string {
	const name = `${c.firstName} ${c.lastName}`.trim();
	return name || c.company || 'Unknown caller';
}
