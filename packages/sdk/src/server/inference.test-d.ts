import { describe, expectTypeOf, it } from 'vitest';
import { auth } from './auth.js';
import { defineAction, defineTrigger } from './define.js';
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
});
