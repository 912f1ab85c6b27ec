import type { Task } from '../../shared/schemas';

/** A catalogue task for server tests: numbered from its id, in section I, due 30/6/2026 unless overridden. */
export function task(id: string, lead: string[], over: Partial<Task> = {}): Task {
  return {
    id,
    stt: id.replace(/\D/g, '') || '1',
    section: 'I',
    sectionTitle: 'Nhiệm vụ chung',
    task: `Nhiệm vụ ${id}`,
    lead,
    support: [],
    deadline: { raw: '30/6/2026', kind: 'date', due: '2026-06-30' },
    output: 'Báo cáo',
    extra: {},
    ...over,
  };
}
