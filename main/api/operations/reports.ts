import { drillDown, reportNames, reports, runParsedReport, type ReportName, type ReportQuery, type ReportResult } from '../../services/reports.js';
import { customerByCode, get, leadByCode, type OperationSpec } from '../operation.js';
import { reads } from './shapes.js';
import { everyone } from '../rules.js';

// The reports (SPEC §5), one operation each, made from the report registry
// (main/services/reports.ts): `funnel` is `reports.funnel` at GET reports/funnel, open to
// everyone, a rep's run on their share of the data; and the drill-down behind any number.

type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
export type ReportOperationName<N extends ReportName = ReportName> = `reports.${Camel<N>}`;

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
const operationName = <N extends ReportName>(name: N) => `reports.${camel(name)}` as ReportOperationName<N>;

/** Each report operation and the report it runs. */
export const reportOperations = Object.fromEntries(reportNames.map((n) => [operationName(n), n])) as { [N in ReportName as ReportOperationName<N>]: N };

function reportOperation<N extends ReportName>(name: N): OperationSpec<(typeof reports)[N]['input'], ReportResult<N>> {
  const key = reports[name].record;
  return {
    input: reports[name].input,
    who: everyone,
    reads: true,
    ...(key ? { byCode: key === 'lead_id' ? leadByCode(key) : customerByCode(key) } : {}),
    run: (s, input) => runParsedReport(s.ctx, name, input as ReportQuery),
    routes: [get(`reports/${name}${key ? `/:${key}` : ''}`)],
  };
}

export const reportOperationSpecs = {
  ...(Object.fromEntries(reportNames.map((n) => [operationName(n), reportOperation(n)])) as {
    [N in ReportName as ReportOperationName<N>]: OperationSpec<(typeof reports)[N]['input'], ReportResult<N>>;
  }),
  'reports.drill': reads(drillDown, get('reports/drill/:report')),
};
