import { describe, expect, it } from 'vitest';
import { KeyIndex, keysOf } from './duplicates.js';

// Finding an imported row's duplicate by id, phone, email, or name and company.

describe('import duplicates', () => {
  const index = new KeyIndex();
  index.add(keysOf({ id: 'E1', name: 'Meera Iyer', phone: '+919845011111' }, 'IN'), 'E1');
  index.add(keysOf({ id: 'E2', name: 'Rohan Das', email: 'Rohan@Example.com', company: 'Wipro' }, 'IN'), 'E2');
  index.add(keysOf({ name: 'Kavya Nair', company: 'HDFC Bank' }, 'IN'), '#7');

  it('matches the same phone however it is written, an email in any case, a name and company in any case', () => {
    expect(index.find(keysOf({ name: 'M. Iyer', phone: '098450 11111' }, 'IN'))).toEqual({ kind: 'phone', target: 'E1' });
    expect(index.find(keysOf({ name: 'R. Das', email: ' ROHAN@example.com' }, 'IN'))).toEqual({ kind: 'email', target: 'E2' });
    expect(index.find(keysOf({ name: 'kavya nair ', company: 'HDFC BANK' }, 'IN'))).toEqual({ kind: 'name_company', target: '#7' });
    expect(index.find(keysOf({ name: 'Kavya Nair' }, 'IN'))).toBeNull();
  });

  it('takes the strongest key first: an id before a phone', () => {
    expect(index.find(keysOf({ id: 'E2', name: 'Meera Iyer', phone: '+919845011111' }, 'IN'))).toEqual({ kind: 'id', target: 'E2' });
  });

  it('keeps two people of one name and company apart when each has an id of its own (a branch\'s export)', () => {
    const branch = new KeyIndex();
    branch.add(keysOf({ id: 'a-1', name: 'Riya Nair', company: 'Apollo Hospitals' }, 'IN'), 'a-1');
    expect(branch.find(keysOf({ id: 'a-2', name: 'Riya Nair', company: 'Apollo Hospitals' }, 'IN'))).toBeNull();
    expect(branch.find(keysOf({ name: 'Riya Nair', company: 'Apollo Hospitals' }, 'IN'))).toEqual({ kind: 'name_company', target: 'a-1' });
  });
});
