import { defineTrigger, prop, type TriggerSchedule } from '@pmos/sdk/server';
import { CronExpressionParser } from 'cron-parser';

/** Every IANA zone this runtime knows, UTC first. */
export const timeZones: string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC'),
];

export interface ScheduleEvent {
  /** When the schedule fired, as an ISO 8601 timestamp. */
  firedAt: string;
  cron: string;
  timezone: string;
}

/** A cron expression or time zone that makes no schedule. */
export class ScheduleError extends Error {
  readonly code = 'invalid_schedule';
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

const cronHelp =
  'Use five fields — minute hour day-of-month month day-of-week — e.g. "0 9 * * 1-5" for 9:00 on weekdays or "*/15 * * * *" for every quarter hour.';

/**
 * Checks a cron expression: five fields (minute precision) or an alias like `@daily`, and
 * one that fires at least once — otherwise a `ScheduleError` saying how to write it.
 */
export function checkSchedule(cron: string, timezone: string): TriggerSchedule {
  const expression = cron.trim().replace(/\s+/g, ' ');
  if (!timeZones.includes(timezone)) {
    throw new ScheduleError(
      `"${timezone}" is not a time zone: choose one like Europe/Berlin or UTC.`,
    );
  }
  const fields = expression.split(' ').length;
  if (!expression.startsWith('@') && fields !== 5) {
    throw new ScheduleError(`"${cron}" has ${fields} field${fields === 1 ? '' : 's'}. ${cronHelp}`);
  }
  try {
    CronExpressionParser.parse(expression, { tz: timezone }).next();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ScheduleError(`"${cron}" is not a valid cron expression (${reason}). ${cronHelp}`);
  }
  return { cron: expression, timezone };
}

export const schedule = defineTrigger({
  id: 'schedule',
  displayName: 'Schedule',
  description:
    'Starts the flow on a schedule written as a cron expression, read in the chosen time zone (minute precision).',
  strategy: 'schedule',
  props: {
    cron: prop.shortText({
      displayName: 'Cron expression',
      description:
        'Five fields: minute hour day-of-month month day-of-week. "0 9 * * 1-5" is 9:00 on weekdays, "*/15 * * * *" every quarter hour, "0 0 1 * *" midnight on the first of the month.',
      required: true,
    }),
    timezone: prop.staticDropdown({
      displayName: 'Time zone',
      description: 'The zone the hours of the expression are read in.',
      required: true,
      defaultValue: 'UTC',
      options: { options: timeZones.map((zone) => ({ label: zone, value: zone })) },
    }),
  },
  sampleOutput: {
    firedAt: '2026-01-05T08:00:00.000Z',
    cron: '0 9 * * 1-5',
    timezone: 'Europe/Berlin',
  } satisfies ScheduleEvent,
  schedule: (props) => checkSchedule(props.cron, props.timezone),
  async run(ctx): Promise<ScheduleEvent[]> {
    const { cron, timezone } = checkSchedule(ctx.props.cron, ctx.props.timezone);
    const firedAt = (ctx.payload as { firedAt?: unknown } | undefined)?.firedAt;
    return [
      {
        // A test run has no firing: it fires now.
        firedAt: typeof firedAt === 'string' ? firedAt : new Date().toISOString(),
        cron,
        timezone,
      },
    ];
  },
});
