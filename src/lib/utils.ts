import { clsx, type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

/** Merge class lists, letting later Tailwind utilities win (shadcn-svelte's `cn`). */
export function cn(...inputs: ClassValue[]): string {
	return twMerge(clsx(inputs));
}
