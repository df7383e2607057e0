import { send } from './client.js';
import type { Input, Output } from './types.js';

export type Unit = Output<'units.list'>['items'][number];

/** Every unit the filter matches, a page of 500 at a time: a project's grid, or the units a booking can pick from. */
export async function allUnits(filter: Omit<Input<'units.list'>, 'limit' | 'offset'>): Promise<Unit[]> {
  const all: Unit[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const page: Output<'units.list'> = await send('units.list', { ...filter, limit: 500, offset });
    all.push(...page.items);
    offset = page.next_offset;
  }
  return all;
}
