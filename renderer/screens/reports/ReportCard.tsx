import type { ReactNode } from 'react';
import { ExportButton } from '../../components/ExportButton.js';
import { Card, Loaded } from '../../components/ui.js';
import type { ApiError } from '../../api/types.js';

type ExportProps = Parameters<typeof ExportButton>[0];

/** A report on its card: its title, its export (the same filters, as CSV or Excel), and its rows once they are loaded. */
export function ReportCard<T>({ title, name, filters, state, empty, children }: {
  title: string;
  name: ExportProps['name'];
  filters?: ExportProps['filters'];
  state: { data?: T[]; error?: ApiError; reload(): void };
  empty: ReactNode;
  children: (rows: T[]) => ReactNode;
}) {
  return (
    <Card title={title} actions={<ExportButton name={name} filters={filters} />}>
      <Loaded state={state} empty={empty}>{children}</Loaded>
    </Card>
  );
}
