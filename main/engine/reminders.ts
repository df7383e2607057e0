import type { Session } from '../api/session.js';
import { today } from '../domain/context.js';
import { listFollowUps } from '../services/followUps.js';
import { duesToday } from '../services/receivables.js';
import { moneyText } from '../../db/values/money.js';

// Follow-up reminders on the desktop (run by the engine, shown by the main process): when the day starts (or the app opens
// on a new day) one notification sums up the follow-ups due today and overdue; during
// the day each follow-up that comes due (recorded for today, or moved to today) gets
// its own. A sales rep hears about their own leads; a manager or admin about everyone's.
// The morning summary also tells of instalments falling due that day and those overdue,
// the rep's own customers' or everyone's.
// Clicking a notification opens the Today view.

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}
export type NotificationFactory = (options: { title: string; body: string }) => NotificationLike;

const CHECK_EVERY_MS = 60_000;

export class Reminders {
  private timer: NodeJS.Timeout | null = null;
  private day: string | null = null;
  private told = new Set<string>();

  constructor(
    private readonly notify: NotificationFactory,
    private readonly openToday: () => void,
  ) {}

  /** Remind the signed-in user from now on (replacing any earlier user). */
  start(session: Session): void {
    this.stop();
    this.day = null;
    this.told.clear();
    const check = () => this.check(session);
    check();
    this.timer = setInterval(check, CHECK_EVERY_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look at the follow-ups due; what it says, for tests. */
  check(session: Session): string[] {
    const asOf = today(session.ctx);
    const mine = session.user.role === 'sales_rep' ? session.user.username : undefined;
    const due = listFollowUps(session.ctx, { status: 'due', as_of: asOf, assigned_to: mine, limit: 500 }).items;
    const said: string[] = [];
    const say = (title: string, body: string) => {
      const n = this.notify({ title, body });
      n.on('click', this.openToday);
      n.show();
      said.push(`${title}: ${body}`);
    };
    if (this.day !== asOf) {
      // A new day: one summary, and everything due counts as told.
      this.day = asOf;
      this.told = new Set(due.map((f) => f.id));
      if (due.length) {
        const overdue = due.filter((f) => f.overdue).length;
        say('Follow-ups for today', `${due.length - overdue} due today${overdue ? `, ${overdue} overdue` : ''}${mine ? ' on your leads' : ''}.`);
      }
      // SPEC §10: the instalments falling due today and those already late, unpaid.
      const dues = duesToday(session.ctx, mine);
      if (dues.today.count || dues.overdue.count) {
        const money = (minor: number) => moneyText(session.ctx.settings, minor);
        const parts = [
          ...(dues.today.count ? [`${dues.today.count} falling due today (${money(dues.today.amount)})`] : []),
          ...(dues.overdue.count ? [`${dues.overdue.count} overdue (${money(dues.overdue.amount)})`] : []),
        ];
        say('Instalments due', `${parts.join(', ')}${mine ? ' from your customers' : ''}.`);
      }
      return said;
    }
    for (const f of due) {
      if (this.told.has(f.id)) continue;
      this.told.add(f.id);
      say('Follow-up due', `${f.lead_name}: after the ${f.milestone_type.replace(/_/g, ' ')}${f.overdue ? ` (since ${f.follow_up_date})` : ' — today'}.`);
    }
    return said;
  }
}
