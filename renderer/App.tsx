import { useEffect, useState } from 'react';
import { Loading } from './components/ui.js';
import { screenNeeds, screens, useSession, type Screen } from './store/session.js';
import { Bookings } from './screens/bookings/Bookings.js';
import { Campaigns } from './screens/Campaigns.js';
import { Inventory } from './screens/inventory/Inventory.js';
import { Receivables } from './screens/Receivables.js';
import { Leads } from './screens/leads/Leads.js';
import { Ledger } from './screens/Ledger.js';
import { MilestoneTracking } from './screens/milestones/MilestoneTracking.js';
import { Reports } from './screens/reports/Reports.js';
import { SignIn } from './screens/SignIn.js';
import { SyncStatus } from './screens/SyncStatus.js';
import { Today } from './screens/Today.js';
import { Users } from './screens/Users.js';
import { Settings } from './screens/Settings.js';

const views = {
  today: Today, leads: Leads, milestones: MilestoneTracking, bookings: Bookings, inventory: Inventory, ledger: Ledger, receivables: Receivables, campaigns: Campaigns, reports: Reports, sync: SyncStatus, users: Users, settings: Settings,
};

export function App() {
  const { status, me, screen, go, resume, signOut } = useSession();
  // At 800 px the sidebar folds into a bar; its Menu button opens the list (closed again once a screen is chosen).
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => void resume(), [resume]);
  useEffect(() => setMenuOpen(false), [screen]);
  if (status === 'starting') return <Loading what="Opening Milepost" />;
  if (status === 'signed-out' || !me) return <SignIn />;
  const offered = (id: Screen) => !screenNeeds[id] || (me.can as string[]).includes(screenNeeds[id]!);
  const View = views[offered(screen) ? screen : 'today'];
  return (
    <div className="shell">
      <nav className={`sidebar${menuOpen ? ' open' : ''}`} aria-label="Main">
        <div className="brand small">
          <span className="logo" aria-hidden>◆</span>
          <strong>Milepost</strong>
        </div>
        <button className="menu-button" aria-expanded={menuOpen} aria-controls="main-menu" onClick={() => setMenuOpen(!menuOpen)}>
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <ul id="main-menu">
          {screens.filter((s) => offered(s.id)).map((s) => (
            <li key={s.id}>
              <a href={`#/${s.id}`} aria-current={screen === s.id ? 'page' : undefined} onClick={(e) => (e.preventDefault(), go(s.id))}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
        <div className="who">
          <span>{me.user.username}</span>
          <small>{me.tenant.name} · {me.user.role.replace('_', ' ')}</small>
          <button className="link" onClick={() => void signOut()}>Sign out</button>
        </div>
      </nav>
      <main className="content">
        <View />
      </main>
    </div>
  );
}
