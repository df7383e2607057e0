import { useState } from 'react';
import { send } from '../../api/client.js';
import type { Output } from '../../api/types.js';
import { ExportButton } from '../../components/ExportButton.js';
import { Badge, Card, Empty, ErrorBanner, Loading } from '../../components/ui.js';
import { attempt, useAsync } from '../../components/useAsync.js';
import { day, instant, label } from '../../format.js';
import { MilestoneForm } from './MilestoneForm.js';
import { Photos, VisitProof } from './photos.js';

export type Lead = Output<'leads.get'>;

// Colour-coded type icons of the timeline (SPEC §7).
const milestoneIcon: Record<string, { icon: string; colour: string }> = {
  lead_generated: { icon: '✦', colour: '#64748b' },
  contacted: { icon: '☎', colour: '#0ea5e9' },
  site_visit: { icon: '⌂', colour: '#8b5cf6' },
  revisit: { icon: '↻', colour: '#a855f7' },
  demo: { icon: '▶', colour: '#6366f1' },
  proposal: { icon: '✉', colour: '#f59e0b' },
  negotiation: { icon: '⇄', colour: '#f97316' },
  booking: { icon: '✔', colour: '#16a34a' },
  cancellation: { icon: '✖', colour: '#dc2626' },
  reengaged: { icon: '↺', colour: '#0d9488' },
};

/** A lead's milestones as a timeline (follow-ups marked done from it, the units held for it), beside the form that records the next. */
export function Timeline({ lead, onChange }: { lead: Lead; onChange: () => void }) {
  const timeline = useAsync(() => send('reports.milestoneTimeline', { lead_id: lead.id }), [lead.id]);
  const list = useAsync(() => send('milestones.listByLead', { lead_id: lead.id, limit: 500 }), [lead.id]);
  const holds = useAsync(() => send('leads.holds', { id: lead.id }), [lead.id]);
  const [error, setError] = useState<string | null>(null);
  const byId = new Map(list.data?.items.map((m) => [m.id, m]));
  const reload = () => (timeline.reload(), list.reload(), onChange());

  const complete = (id: string) => attempt(() => send('milestones.completeFollowUp', { id }), setError).then((ok) => ok && reload());

  return (
    <div className="split">
      <Card title="Timeline" actions={<ExportButton name="milestone-timeline" filters={{ lead_id: lead.id }} />}>
        <ErrorBanner error={timeline.error ?? list.error} onRetry={reload} />
        {error && <p className="field-error" role="alert">{error}</p>}
        {timeline.loading && !timeline.data ? <Loading /> : timeline.data?.length === 0 ? (
          <Empty title="No milestones yet.">Record the first one with the form.</Empty>
        ) : (
          <ol className="timeline" aria-label="Milestone timeline">
            {timeline.data?.map((t) => {
              const m = byId.get(t.milestone_id);
              const look = milestoneIcon[t.milestone_type] ?? { icon: '•', colour: '#64748b' };
              return (
                <li key={t.milestone_id} data-type={t.milestone_type}>
                  <span className="icon" style={{ background: look.colour }} aria-hidden>{look.icon}</span>
                  <div>
                    <div className="line">
                      <strong>{label(t.milestone_type)}</strong>
                      <span>{day(t.milestone_date)}{t.milestone_time ? ` ${t.milestone_time}` : ''}</span>
                      {t.days_since_previous !== null && <span className="gap">{t.days_since_previous === 0 ? 'same day' : `${t.days_since_previous} day${t.days_since_previous === 1 ? '' : 's'} later`}</span>}
                      {t.outcome && <Badge value={t.outcome} />}
                    </div>
                    {(t.location_name || t.visited_by || m?.duration_minutes) && (
                      <p className="meta">
                        {[t.location_name, t.visited_by && `by ${t.visited_by}`, m?.duration_minutes != null && `${m.duration_minutes} min`,
                          m?.location_latitude != null && `${m.location_latitude}, ${m.location_longitude}${m.location_accuracy_m != null ? ` ±${Math.round(m.location_accuracy_m)} m` : ''}`,
                          m?.location_fixed_at && `fix ${instant(m.location_fixed_at)}`].filter(Boolean).join(' · ')}
                      </p>
                    )}
                    {m && <VisitProof m={m} />}
                    {t.notes && <p>{t.notes}</p>}
                    {m && m.photos.length > 0 && <Photos photos={m.photos} />}
                    {m?.follow_up_required && (
                      <p className="follow-up">
                        Follow-up {m.follow_up_date ? `on ${day(m.follow_up_date)}` : '(no date)'}:{' '}
                        {m.follow_up_completed_at ? <span>done {instant(m.follow_up_completed_at)}</span> : <button className="link" onClick={() => void complete(m.id)}>Mark done</button>}
                      </p>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
        {holds.data && holds.data.length > 0 && (
          <>
            <h3 className="sub">Units held</h3>
            <ul className="history" aria-label="Units held for this lead">
              {holds.data.map((h) => (
                <li key={h.id}>{h.project_name}{h.tower ? ` ${h.tower}` : ''} · unit {h.unit_number} ({h.unit_type}) · {instant(h.held_at)} → {instant(h.hold_until)} <Badge value={h.state} /></li>
              ))}
            </ul>
          </>
        )}
      </Card>
      <MilestoneForm leadId={lead.id} onSaved={reload} />
    </div>
  );
}
