import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import type { ApiError } from '../api/types.js';
import { label } from '../format.js';

export function Field({ label, error, children, hint, wide }: { label: string; error?: string; children: (id: string) => ReactNode; hint?: string; wide?: boolean }) {
  const id = useId();
  return (
    <div className={`field${wide ? ' wide' : ''}${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {error ? <p className="field-error" role="alert">{error}</p> : hint ? <p className="hint">{hint}</p> : null}
    </div>
  );
}

export function ErrorBanner({ error, onRetry }: { error?: ApiError | null; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="banner error" role="alert">
      <strong>{error.code === 'network' ? 'Cannot reach Milepost' : 'That did not work'}</strong>
      <span>{error.message}</span>
      {onRetry && <button className="link" onClick={onRetry}>Try again</button>}
    </div>
  );
}

/** A change refused because the record was changed meanwhile: said, with the newer values now in the form (SPEC §4). */
export function StaleBanner({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="banner error" role="alert">
      <strong>{title}</strong>
      <span>{children}</span>
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return <div className="banner ok" role="status">{children}</div>;
}

export const Loading = ({ what = 'Loading' }: { what?: string }) => <p className="loading" aria-busy="true">{what}…</p>;

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}

export function Badge({ value, tone }: { value: string; tone?: string }) {
  return <span className={`badge ${tone ?? value}`}>{value.replace(/_/g, ' ')}</span>;
}

export function Card({ title, children, actions, className }: { title: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`} aria-label={typeof title === 'string' ? title : undefined}>
      <header>
        <h2 title={typeof title === 'string' ? title : undefined}>{title}</h2>
        {actions && <div className="actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function Pager({ offset, nextOffset, pageSize, onPage }: { offset: number; nextOffset: number | null; pageSize: number; onPage: (offset: number) => void }) {
  if (offset === 0 && nextOffset === null) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - pageSize))}>← Previous</button>
      <span>Rows {offset + 1}–{nextOffset ?? 'end'}</span>
      <button disabled={nextOffset === null} onClick={() => nextOffset !== null && onPage(nextOffset)}>Next →</button>
    </nav>
  );
}

/** A dashboard figure: its title, the number, and a line under it. */
export function Kpi({ title, value, detail, accent, warn }: { title: string; value: React.ReactNode; detail?: React.ReactNode; accent?: boolean; warn?: boolean }) {
  return (
    <section className={`kpi${accent ? ' accent' : ''}${warn ? ' warn' : ''}`} aria-label={title}>
      <h3>{title}</h3>
      <strong>{value}</strong>
      {detail && <p>{detail}</p>}
    </section>
  );
}

/** A choice of fixed values, each shown in words (`site_visit` as "Site visit"). */
export function Choice({ id, value, onChange, options }: { id: string; value: string; onChange: (e: { target: { value: string } }) => void; options: readonly string[] }) {
  return <select id={id} value={value} onChange={onChange}>{options.map((o) => <option key={o} value={o}>{label(o)}</option>)}</select>;
}

type FieldProps = { label: string; error?: string; hint?: string; wide?: boolean };

/** A labelled input: `<TextField label="Budget" error={errors.budget} inputMode="decimal" {...bind('budget')} />`. */
export function TextField({ label, error, hint, wide, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return <Field label={label} error={error} hint={hint} wide={wide}>{(id) => <input id={id} {...input} />}</Field>;
}

/** A labelled choice of fixed values. */
export function ChoiceField({ label, error, hint, wide, ...choice }: FieldProps & Omit<Parameters<typeof Choice>[0], 'id'>) {
  return <Field label={label} error={error} hint={hint} wide={wide}>{(id) => <Choice id={id} {...choice} />}</Field>;
}

/** A form in a card: its refusal above it, what it last did, its fields in a grid; named for screen readers by its title. */
export function FormCard({ title, failure, notice, onSubmit, actions, children }: { title: string; failure: ApiError | null; notice?: string | null; onSubmit: () => unknown; actions?: ReactNode; children: ReactNode }) {
  return (
    <Card title={title} actions={actions}>
      <ErrorBanner error={failure} />
      {notice && <Notice>{notice}</Notice>}
      <form className="grid" aria-label={title} onSubmit={(e) => (e.preventDefault(), void onSubmit())}>{children}</form>
    </Card>
  );
}

/** What a load shows: its failure (with Try again), Loading… until it answers, `empty` when it answers no rows, else the rows. */
export function Loaded<T>({ state, empty, children }: { state: { data?: T[]; error?: ApiError; reload(): void }; empty: ReactNode; children: (rows: T[]) => ReactNode }) {
  return (
    <>
      <ErrorBanner error={state.error} onRetry={state.reload} />
      {!state.data ? <Loading /> : state.data.length === 0 ? empty : children(state.data)}
    </>
  );
}
