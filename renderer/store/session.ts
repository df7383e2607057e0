import { useEffect } from 'react';
import { create } from 'zustand';
import { hasSession, send, signIn, signOut, whenSessionEnds } from '../api/client.js';
import type { Credentials, Output } from '../api/types.js';

type Me = Output<'session.me'>;
// The screens in the order the menu shows them; the last two are shown to those who may
// manage users and settings (SPEC §11: admins).
const SCREENS = [
  ['today', 'Today'], ['leads', 'Leads'], ['milestones', 'Milestone tracking'], ['bookings', 'Bookings'], ['inventory', 'Inventory'], ['ledger', 'Ledger'],
  ['receivables', 'Receivables'], ['campaigns', 'Campaigns'], ['reports', 'Reports'], ['sync', 'Sync'], ['users', 'Users'], ['settings', 'Settings'],
] as const;
export type Screen = (typeof SCREENS)[number][0];
export const screens: { id: Screen; label: string }[] = SCREENS.map(([id, label]) => ({ id, label }));

/** The operation a screen needs, for screens not everyone is offered. */
export const screenNeeds: Partial<Record<Screen, string>> = { users: 'users.list', settings: 'settings.update' };

/**
 * Where the app is: a screen and the record open on it, as the address says it
 * (`#/leads/LD-000123`, `#/ledger/CUS-000004`), so a reload, back/forward and a pasted
 * link come back to it. A record is named by its code where it has one, else its id.
 */
export interface Place {
  screen: Screen;
  record: string | null;
}
export const placeFromHash = (hash = location.hash): Place => {
  const [id, record] = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  const screen = screens.some((s) => s.id === id) ? (id as Screen) : 'leads';
  return { screen, record: record ? decodeURIComponent(record) : null };
};
export const hashOf = ({ screen, record }: Place) => `#/${screen}${record ? `/${encodeURIComponent(record)}` : ''}`;

// Forms with unsaved changes: leaving asks first — another screen, back/forward, a reload, closing.
// Each form changed and not saved, with how to forget its draft once the user chooses to leave it.
const unsaved = new Map<symbol, () => void>();
const UNSAVED = 'You have changes that are not saved. Leave and lose them?';
export function markUnsaved(key: symbol, dirty: boolean, discard: () => void = () => {}) {
  if (dirty) unsaved.set(key, discard);
  else unsaved.delete(key);
}
/** Whether the user leaves (nothing unsaved, or they say so); leaving forgets the drafts left behind. */
const mayLeave = () => {
  if (unsaved.size === 0) return true;
  if (!confirm(UNSAVED)) return false;
  for (const discard of unsaved.values()) discard();
  unsaved.clear();
  return true;
};
window.addEventListener('beforeunload', (e) => {
  if (unsaved.size) e.preventDefault();
});

interface SessionState {
  status: 'starting' | 'signed-out' | 'signed-in';
  me: Me | null;
  /** Why the last session ended without signing out (shown on the sign-in screen). */
  ended: string | null;
  screen: Screen;
  /** The record open on the screen (a lead, a customer), by code or id, as the address names it. */
  record: string | null;
  resume(): Promise<void>;
  signIn(c: Credentials): Promise<void>;
  signOut(): Promise<void>;
  /** Open a screen (and a record on it); refused when the user keeps unsaved changes. */
  go(screen: Screen, record?: string | null): boolean;
  /** Name the open record by a better reference (its code once read) without a new history entry. */
  rename(record: string): void;
}

export const useSession = create<SessionState>((set) => ({
  status: 'starting',
  me: null,
  ended: null,
  ...placeFromHash(),
  async resume() {
    if (!(await hasSession())) return set({ status: 'signed-out' });
    try {
      set({ me: await send('session.me', {}), status: 'signed-in' });
    } catch {
      set({ status: 'signed-out' });
    }
  },
  async signIn(c) {
    await signIn(c);
    set({ me: await send('session.me', {}), status: 'signed-in', ended: null });
  },
  async signOut() {
    await signOut();
    set({ status: 'signed-out', me: null });
  },
  go(screen, record = null) {
    const place = { screen, record };
    if (hashOf(place) === location.hash) return true;
    if (!mayLeave()) return false;
    history.pushState(null, '', hashOf(place));
    set(place);
    return true;
  },
  rename(record) {
    const { screen } = useSession.getState();
    history.replaceState(null, '', hashOf({ screen, record }));
    set({ record });
  },
}));

// The desktop app's main process opens a screen when a reminder is clicked.
window.milepost?.onNavigate?.((id) => {
  if (screens.some((s) => s.id === id)) useSession.getState().go(id as Screen);
});

// A session Milepost ended (deactivated, password or role changed, expired): back to sign-in, saying why.
whenSessionEnds((message) => {
  if (useSession.getState().status === 'signed-in') useSession.setState({ status: 'signed-out', me: null, ended: message });
});

// Back and forward (and a link typed into the address bar) move between places.
let shown = location.hash;
const followAddress = () => {
  if (location.hash === shown) return;
  if (!mayLeave()) {
    history.pushState(null, '', shown); // stay: the address goes back to the form kept
    return;
  }
  shown = location.hash;
  useSession.setState(placeFromHash());
};
window.addEventListener('popstate', followAddress);
window.addEventListener('hashchange', followAddress);
useSession.subscribe(() => void (shown = location.hash));

/** Whether the signed-in user may call an operation (SPEC §11, as `session.me` tells it): actions they may not are not offered. */
export const useCan = () => {
  const can = useSession((s) => s.me?.can);
  return (op: Output<'session.me'>['can'][number]) => Boolean(can?.includes(op));
};

/** Once a record opened by id is read, the address names it by its code (`#/leads/LD-000123`), in place. */
export function useCanonicalRecord(record: string | null, canonical: string | null | undefined, rename: (record: string) => void) {
  useEffect(() => {
    if (record && canonical && canonical !== record) rename(canonical);
  }, [record, canonical, rename]);
}
