import { useMemo, useState } from 'react';
import { send } from '../api/client.js';
import { today } from '../format.js';
import { useAsync } from './useAsync.js';

/** A report screen's scope: the day it is as of, and one project of the inventory or all of them. */
export function useReportScope() {
  const [asOf, setAsOf] = useState(today());
  const [project, setProject] = useState('');
  const inventory = useAsync(() => send('inventory.list', { limit: 500 }), []);
  const projects = useMemo(() => [...new Set((inventory.data?.items ?? []).map((i) => i.project_name).filter(Boolean))].sort(), [inventory.data]);
  return { asOf, setAsOf, project, setProject, projects, filters: { as_of: asOf, ...(project ? { project_name: project } : {}) } };
}

/** The page head of a report screen: its title, the project picker (when there are projects) and the as-of day. */
export function ReportHead({ title, scope }: { title: string; scope: ReturnType<typeof useReportScope> }) {
  return (
    <header className="page-head">
      <h1>{title}</h1>
      <div className="actions">
        {scope.projects.length > 0 && (
          <label className="as-of">Project{' '}
            <select aria-label="Project" value={scope.project} onChange={(e) => scope.setProject(e.target.value)}>
              <option value="">All projects</option>
              {scope.projects.map((p) => <option key={p}>{p}</option>)}
            </select>
          </label>
        )}
        <label className="as-of">As of <input type="date" aria-label="As of" value={scope.asOf} onChange={(e) => e.target.value && scope.setAsOf(e.target.value)} /></label>
      </div>
    </header>
  );
}
