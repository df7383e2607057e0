import { create } from 'zustand';
import { hasSession, send, signIn, signOut, whenSessionEnds } from '../api/client.js';
import type { Credentials, Output } from '../api/types.js';

type Me = Output<'session.me'>;
export type Screen = 'today' | 'leads' | 'milestones' | 'bookings' | 'inventory' | 'ledger' | 'receivables' | 'campaigns' | 'reports' | 'sync' | 'users' | 'settings';
export const screens: { id: Screen; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'leads', label: 'Leads' },
  { id: 'milestones', label: 'Milestone tracking' },
  { id: 'bookings', label: 'Bookings' },
  { id: 'inventory', label: 'Inventory' },
  { id: 'ledger', label: 'Ledger' },
  { id: 'receivables', label: 'Receivables' },
  { id: 'campaigns', label: 'Campaigns' },
  { id: 'reports', label: 'Reports' },
  { id: 'sync', label: 'Sync' },
  // Shown to those who may manage users and settings (SPEC §11: admins).
  { id: 'users', label: 'Users' },
  { id: 'settings', label: 'Settings' },
];

/** The operation a screen needs, for screens not everyone is offered. */
export const screenNeeds: Partial<Record<Screen, string>> = { users: 'users.list', settings: 'settings.update' };

const screenFromHash = (): Screen => {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0] as Screen;
  return screens.some((s) => s.id === id) ? id : 'leads';
};

interface SessionState {
  status: 'starting' | 'signed-out' | 'signed-in';
  me: Me | null;
  /** Why the last session ended without signing out (shown on the sign-in screen). */
  ended: string | null;
  screen: Screen;
  /** The lead or customer a screen was opened for (from another screen). */
  focus: { leadId?: string; customerId?: string };
  resume(): Promise<void>;
  signIn(c: Credentials): Promise<void>;
  signOut(): Promise<void>;
  go(screen: Screen, focus?: SessionState['focus']): void;
}

export const useSession = create<SessionState>((set) => ({
  status: 'starting',
  me: null,
  ended: null,
  screen: screenFromHash(),
  focus: {},
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
  go(screen, focus = {}) {
    location.hash = `#/${screen}`;
    set({ screen, focus });
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

window.addEventListener('hashchange', () => {
  const screen = screenFromHash();
  if (useSession.getState().screen !== screen) useSession.setState({ screen });
});

/** Whether the signed-in user may call an operation (SPEC §11, as `session.me` tells it): actions they may not are not offered. */
export const useCan = () => {
  const can = useSession((s) => s.me?.can);
  return (op: Output<'session.me'>['can'][number]) => Boolean(can?.includes(op));
};
