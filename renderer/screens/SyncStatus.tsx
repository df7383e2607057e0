import { Card } from '../components/ui.js';
import { useSession } from '../store/session.js';

// Sync with a central Postgres is optional (SPEC §8); until it is configured this
// screen says so, and what it will do.
export function SyncStatus() {
  const tenant = useSession((s) => s.me?.tenant);
  return (
    <>
      <header className="page-head"><h1>Sync</h1></header>
      <Card title="Sync is not configured">
        <p>
          Everything you record is saved on this device in <strong>{tenant?.name}</strong>'s own database, and Milepost works fully offline:
          nothing waits on a network.
        </p>
        <p>When head office connects this branch to the central Postgres, sync will:</p>
        <ul className="bullets">
          <li>send this device's new and changed records, and bring back everyone else's, whenever a connection is available;</li>
          <li>never lose or double a record, even after days offline or a connection cut mid-sync;</li>
          <li>keep ledger balances right after merging entries from several devices, since balances are always derived;</li>
          <li>flag two devices booking the last unit of a type while offline, for someone to resolve;</li>
          <li>let head office run every report over all branches.</li>
        </ul>
        <p className="hint">No central server is set for this tenant, so there is nothing pending and no last sync to show.</p>
      </Card>
    </>
  );
}
