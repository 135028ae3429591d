import { InvalidPropsError } from '@pmos/sdk/server';
import { runTrigger, scheduleOf } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { checkSchedule, ScheduleError, schedule, timeZones } from './schedule.js';

describe('schedule trigger', () => {
  it('registers its cron expression and time zone, UTC by default', () => {
    expect(scheduleOf(schedule, { props: { cron: '0 9 * * 1-5' } })).toEqual({
      cron: '0 9 * * 1-5',
      timezone: 'UTC',
    });
    expect(
      scheduleOf(schedule, { props: { cron: '  */15   * * * * ', timezone: 'Europe/Berlin' } }),
    ).toEqual({ cron: '*/15 * * * *', timezone: 'Europe/Berlin' });
    expect(scheduleOf(schedule, { props: { cron: '@daily' } })).toEqual({
      cron: '@daily',
      timezone: 'UTC',
    });
  });

  it.each([
    ['* * * *', '"* * * *" has 4 fields. Use five fields'],
    ['0 0 9 * * *', '"0 0 9 * * *" has 6 fields. Use five fields'],
    [
      '61 * * * *',
      '"61 * * * *" is not a valid cron expression (Constraint error, got value 61 expected range 0-59)',
    ],
    ['every monday', 'has 2 fields'],
    ['0 0 31 2 *', 'is not a valid cron expression'],
    ['a b c d e', 'is not a valid cron expression'],
  ])('refuses %s with a message saying how to write it', (cron, message) => {
    expect(() => scheduleOf(schedule, { props: { cron } })).toThrowError(ScheduleError);
    expect(() => scheduleOf(schedule, { props: { cron } })).toThrowError(message);
    expect(() => scheduleOf(schedule, { props: { cron } })).toThrowError(
      'e.g. "0 9 * * 1-5" for 9:00 on weekdays',
    );
  });

  it('offers every IANA zone, UTC first, and refuses others', () => {
    expect(timeZones[0]).toBe('UTC');
    expect(timeZones).toContain('America/New_York');
    expect(timeZones.length).toBeGreaterThan(300);
    expect(() =>
      scheduleOf(schedule, { props: { cron: '0 9 * * *', timezone: 'Mars/Olympus' } }),
    ).toThrowError(InvalidPropsError);
    expect(() => checkSchedule('0 9 * * *', 'Mars/Olympus')).toThrowError(
      '"Mars/Olympus" is not a time zone',
    );
  });

  it('turns a firing into one event', async () => {
    const { events } = await runTrigger(schedule, {
      props: { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
      payload: { firedAt: '2026-01-05T08:00:00.000Z' },
    });
    expect(events).toEqual([
      { firedAt: '2026-01-05T08:00:00.000Z', cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
    ]);
  });

  it('fires now when tested without a firing', async () => {
    const before = Date.now();
    const { events } = await runTrigger(schedule, { props: { cron: '*/5 * * * *' } });
    expect(Date.parse(events[0]?.firedAt ?? '')).toBeGreaterThanOrEqual(before);
  });
});
