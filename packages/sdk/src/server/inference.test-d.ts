import { describe, expectTypeOf, it } from 'vitest';
import { auth } from './auth.js';
import { defineAction, defineTrigger, type RunInfo, type WebhookReply } from './define.js';
import { prop } from './props.js';

describe('type inference in run', () => {
  it('types ctx.props from the props and ctx.auth from the auth kind', () => {
    defineAction({
      id: 'create',
      displayName: 'Create',
      description: 'Creates.',
      risk: 'write',
      auth: auth.custom({
        props: {
          region: prop.staticDropdown({
            displayName: 'Region',
            required: true,
            options: { options: [{ label: 'EU', value: 'eu' as const }] },
          }),
        },
      }),
      props: {
        title: prop.shortText({ displayName: 'Title', required: true }),
        notes: prop.longText({ displayName: 'Notes' }),
        count: prop.number({ displayName: 'Count', required: true }),
        tags: prop.multiSelect<string>({
          displayName: 'Tags',
          refreshers: ['title'],
          options: async () => ({ options: [] }),
        }),
      },
      async run(ctx) {
        expectTypeOf(ctx.auth.region).toEqualTypeOf<'eu'>();
        expectTypeOf(ctx.props.title).toEqualTypeOf<string>();
        expectTypeOf(ctx.props.notes).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.props.count).toEqualTypeOf<number>();
        expectTypeOf(ctx.props.tags).toEqualTypeOf<string[] | undefined>();
        // @ts-expect-error: not a declared prop
        ctx.props.missing;
        return { id: 1 };
      },
    });
  });

  it('types a webhook payload and secret-text auth in a trigger', () => {
    defineTrigger({
      id: 'hook',
      displayName: 'Hook',
      description: 'Receives.',
      strategy: 'webhook',
      auth: auth.secretText({ displayName: 'Key' }),
      props: {},
      async run(ctx) {
        expectTypeOf(ctx.auth).toEqualTypeOf<string>();
        expectTypeOf(ctx.payload).toEqualTypeOf<unknown>();
        return [];
      },
    });
  });

  it('types OAuth2 values with their extra fields', () => {
    defineAction({
      id: 'me',
      displayName: 'Me',
      description: 'Who am I.',
      risk: 'read',
      auth: auth.oauth2({
        authUrl: 'https://a.example/authorize',
        tokenUrl: 'https://a.example/token',
        scopes: ['read'],
        props: { tenant: prop.shortText({ displayName: 'Tenant', required: true }) },
      }),
      props: {},
      async run(ctx) {
        expectTypeOf(ctx.auth.accessToken).toEqualTypeOf<string>();
        expectTypeOf(ctx.auth.refreshToken).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.auth.props.tenant).toEqualTypeOf<string>();
        return null;
      },
    });
  });

  it('types ctx.run: ids that may be null and a reply for a waiting webhook', () => {
    defineAction({
      id: 'reply',
      displayName: 'Reply',
      description: 'Answers the webhook.',
      risk: 'read',
      props: {},
      async run(ctx) {
        expectTypeOf(ctx.run).toEqualTypeOf<RunInfo>();
        expectTypeOf(ctx.run.id).toEqualTypeOf<string | null>();
        expectTypeOf(ctx.run.flowId).toEqualTypeOf<string | null>();
        expectTypeOf(ctx.run.stepName).toEqualTypeOf<string | null>();
        expectTypeOf(ctx.run.respond).parameter(0).toEqualTypeOf<WebhookReply>();
        ctx.run.respond({ status: 201, headers: { 'x-id': '1' }, body: { ok: true } });
        ctx.run.respond({});
        // @ts-expect-error: header values are strings
        ctx.run.respond({ headers: { 'x-count': 1 } });
        return null;
      },
    });
  });

  it('types a schedule from the props, and dedupe keys from the events', () => {
    defineTrigger({
      id: 'every',
      displayName: 'Every',
      description: 'On a schedule.',
      strategy: 'schedule',
      props: {
        cron: prop.shortText({ displayName: 'Cron', required: true }),
        timezone: prop.shortText({ displayName: 'Zone' }),
      },
      schedule(props) {
        expectTypeOf(props.cron).toEqualTypeOf<string>();
        expectTypeOf(props.timezone).toEqualTypeOf<string | undefined>();
        return { cron: props.cron, timezone: props.timezone ?? 'UTC' };
      },
      async run() {
        return [{ firedAt: '2026-01-01T00:00:00.000Z' }];
      },
      // After `run`: TypeScript infers the event type from members in order.
      dedupeKey(event) {
        expectTypeOf(event).toEqualTypeOf<{ firedAt: string }>();
        return event.firedAt;
      },
    });
  });
});
