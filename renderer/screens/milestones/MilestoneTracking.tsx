import { useState } from 'react';
import { send } from '../../api/client.js';
import { RecordPicker } from '../../components/RecordPicker.js';
import { Badge, Empty, ErrorBanner, Loading } from '../../components/ui.js';
import { useAsync } from '../../components/useAsync.js';
import { day, phone } from '../../format.js';
import { useCanonicalRecord, useSession } from '../../store/session.js';
import { Engagements } from './Engagements.js';
import { Timeline } from './Timeline.js';

// Milestone tracking (SPEC §7): a lead's journey — its timeline of milestones with the
// form that records the next, and its engagements — on two tabs.

export function MilestoneTracking() {
  // The lead open here is the one the address names (`#/milestones/LD-000123`), by code or id.
  const { record: leadId, go, rename } = useSession();
  const [tab, setTab] = useState<'milestones' | 'engagement'>('milestones');
  const lead = useAsync(() => (leadId ? send('leads.get', { id: leadId }) : Promise.resolve(null)), [leadId]);
  useCanonicalRecord(leadId, lead.data && (lead.data.lead_code ?? lead.data.id), rename);

  return (
    <>
      <header className="page-head">
        <h1>Milestone tracking</h1>
      </header>
      <div className="toolbar">
        <RecordPicker kind="lead" label="Lead" value={lead.data ? { id: lead.data.id, title: lead.data.name } : null} onPick={(o) => go('milestones', o.id)} />
      </div>
      <ErrorBanner error={lead.error} onRetry={lead.reload} />
      {!leadId ? (
        <Empty title="Pick a lead to see its journey.">Type part of a name, phone or lead code above; the timeline loads as soon as you choose.</Empty>
      ) : lead.loading && !lead.data ? (
        <Loading what="Loading the lead" />
      ) : lead.data ? (
        <>
          <div className="lead-summary">
            <h2>{lead.data.name}</h2>
            <Badge value={lead.data.status} />
            <span>{[lead.data.lead_code, lead.data.phone && phone(lead.data.phone), lead.data.company].filter(Boolean).join(' · ')}</span>
            <span>Lead since {day(lead.data.lead_date)}</span>
          </div>
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'milestones'} onClick={() => setTab('milestones')}>Milestones</button>
            <button role="tab" aria-selected={tab === 'engagement'} onClick={() => setTab('engagement')}>Engagement</button>
          </div>
          {tab === 'milestones' ? <Timeline lead={lead.data} onChange={lead.reload} /> : <Engagements lead={lead.data} />}
        </>
      ) : null}
    </>
  );
}
