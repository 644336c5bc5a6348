/** The skills page's state: each agent's skills, saved as a whole on every change, and the catalog. */
import type { TAgentWithSkills, TSkill } from '$lib/server/trpc/routers/admin';
import { errorMessage, trpc } from '$lib/trpc';

export type SaveStatus = { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };
type SkillLevel = TAgentWithSkills['skills'][number];

export class AgentSkillsBoard {
	agents = $state<TAgentWithSkills[]>([]);
	catalog = $state<TSkill[]>([]);
	status = $state<Record<string, SaveStatus>>({});
	catalogResult = $state<{ ok: boolean; message: string } | null>(null);

	constructor(agents: TAgentWithSkills[], catalog: TSkill[]) {
		this.agents = agents;
		this.catalog = catalog;
	}

	skillName(id: string): string {
		return this.catalog.find((s) => s.id === id)?.name ?? id;
	}

	add(userId: string, skill: string, level: number): Promise<void> {
		const agent = this.agents.find((a) => a.userId === userId);
		if (!agent || agent.skills.some((s) => s.skill === skill)) return Promise.resolve();
		return this.save(userId, [...agent.skills, { skill, level }]);
	}

	remove(userId: string, skill: string): Promise<void> {
		const agent = this.agents.find((a) => a.userId === userId);
		return agent ? this.save(userId, agent.skills.filter((s) => s.skill !== skill)) : Promise.resolve();
	}

	/** Show the change at once; on failure the row goes back to what is saved and says why. */
	private async save(userId: string, skills: SkillLevel[]): Promise<void> {
		const index = this.agents.findIndex((a) => a.userId === userId);
		const before = this.agents[index];
		if (!before) return;
		this.agents[index] = { ...before, skills };
		this.status[userId] = { kind: 'saving' };
		try {
			this.agents[index] = { ...before, skills: await trpc.admin.setAgentSkills.mutate({ userId, skills }) };
			this.status[userId] = { kind: 'saved' };
		} catch (error) {
			this.agents[index] = before;
			this.status[userId] = { kind: 'failed', message: errorMessage(error) };
		}
	}

	/** Add a skill to the catalog; answers true when the form may be cleared. */
	async addToCatalog(skill: TSkill): Promise<boolean> {
		this.catalogResult = null;
		try {
			const created = await trpc.admin.addSkill.mutate(skill);
			this.catalog = [...this.catalog, created].sort((a, b) => a.name.localeCompare(b.name));
			this.catalogResult = { ok: true, message: `${created.name} can now be given to agents and required by queues.` };
			return true;
		} catch (error) {
			this.catalogResult = { ok: false, message: errorMessage(error) };
			return false;
		}
	}
}
