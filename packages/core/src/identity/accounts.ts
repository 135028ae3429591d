import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { isUniqueViolation, sql } from '../db/sql.js';
import { normaliseEmail } from './email.js';
import {
  User,
  type UserRecord,
  Workspace,
  WorkspaceMembership,
  type WorkspaceRecord,
} from './entities.js';
import { IdentityError } from './errors.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import { createSession, revokeSession } from './sessions.js';
import { assertNotLocked, clearFailures, recordFailure, type ThrottleKey } from './throttle.js';

// Sign-ups take this advisory lock inside their transaction, so "is there a super_admin
// yet?" and the insert that answers it cannot interleave. The partial unique index
// app_user_one_super_admin is the guard that holds even if this lock were bypassed.
const signUpLockKey = 7_261_126;

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
}

/**
 * Creates an account and its own workspace (as workspace_admin). The very first account
 * also becomes the instance's super_admin — decided inside the same transaction.
 */
export async function signUp(
  orm: MikroORM,
  input: SignUpInput,
  actor: ActorContext,
): Promise<{ user: UserRecord; workspace: WorkspaceRecord; sessionToken: string }> {
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  checkPasswordPolicy(input.password, email);
  const passwordHash = await hashPassword(input.password); // CPU work outside the transaction

  try {
    return await orm.em.fork().transactional(async (em) => {
      await sql(em, 'select pg_advisory_xact_lock(?)', [signUpLockKey]);
      if (await em.count(User, { email })) throw new IdentityError('email_taken');
      const isFirst = (await em.count(User, { platformRole: 'super_admin' })) === 0;
      const now = new Date();
      const user = em.create(User, {
        id: randomUUID(),
        email,
        name,
        passwordHash,
        platformRole: isFirst ? 'super_admin' : null,
        createdAt: now,
        updatedAt: now,
      });
      // Ids are plain columns, so the unit of work cannot order the inserts: flush each step.
      await em.flush();
      const workspace = em.create(Workspace, {
        id: randomUUID(),
        name: `${name.split(/\s+/)[0] ?? name}'s workspace`,
        createdBy: user.id,
        createdAt: now,
      });
      await em.flush();
      em.create(WorkspaceMembership, {
        workspaceId: workspace.id,
        userId: user.id,
        role: 'workspace_admin',
        createdAt: now,
      });
      await em.flush();
      const self: ActorContext = { ...actor, userId: user.id, kind: 'user' };
      await recordAudit(em, self, {
        action: 'auth.sign_up',
        outcome: 'success',
        workspaceId: workspace.id,
        targetType: 'user',
        targetId: user.id,
      });
      if (isFirst) {
        await recordAudit(em, self, {
          action: 'platform.super_admin_bootstrap',
          outcome: 'success',
          targetType: 'user',
          targetId: user.id,
        });
      }
      const { token } = await createSession(em, user.id, actor);
      return { user, workspace, sessionToken: token };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new IdentityError('email_taken');
    throw error;
  }
}

/**
 * Checks email and password, throttled per account and per IP. Unknown email and wrong
 * password give the same error after the same work. A new session replaces the one the
 * caller came with (the session id rotates at sign-in).
 */
export async function signIn(
  orm: MikroORM,
  input: { email: string; password: string; previousSessionId?: string | null },
  actor: ActorContext,
): Promise<{ user: UserRecord; sessionToken: string }> {
  const em = orm.em.fork();
  const email = normaliseEmail(input.email);
  const keys: ThrottleKey[] = [{ kind: 'account', value: email }];
  if (actor.ip) keys.push({ kind: 'ip', value: actor.ip });

  try {
    await assertNotLocked(em, keys);
  } catch (error) {
    await recordAudit(em, actor, {
      action: 'auth.sign_in',
      outcome: 'denied',
      metadata: { email, reason: 'locked_out' },
    });
    throw error;
  }

  const user = await em.findOne(User, { email });
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid) {
    const locked = await recordFailure(em, keys);
    await recordAudit(
      em,
      { ...actor, userId: user?.id ?? null },
      {
        action: 'auth.sign_in',
        outcome: 'failure',
        targetType: user ? 'user' : null,
        targetId: user?.id ?? null,
        metadata: { email, reason: user ? 'wrong_password' : 'unknown_email' },
      },
    );
    for (const { key, lockSeconds } of locked) {
      await recordAudit(em, actor, {
        action: 'auth.lockout',
        outcome: 'denied',
        metadata: { scope: key.kind, key: key.value, lockSeconds },
      });
    }
    throw new IdentityError('invalid_credentials');
  }

  return em.transactional(async (tx) => {
    await clearFailures(tx, keys[0] as ThrottleKey);
    if (input.previousSessionId) await revokeSession(tx, input.previousSessionId);
    const self: ActorContext = { ...actor, userId: user.id, kind: 'user' };
    const { token } = await createSession(tx, user.id, self);
    await recordAudit(tx, self, {
      action: 'auth.sign_in',
      outcome: 'success',
      targetType: 'user',
      targetId: user.id,
    });
    return { user, sessionToken: token };
  });
}

/**
 * Hands the super_admin role to another account. Deliberately not reachable over HTTP: only
 * the `pmos admin transfer-super-admin` command, run on the server, calls it. Audited.
 */
export async function transferSuperAdmin(
  orm: MikroORM,
  email: string,
  actor: ActorContext,
): Promise<{ from: string | null; to: string }> {
  return orm.em.fork().transactional(async (em) => {
    await sql(em, 'select pg_advisory_xact_lock(?)', [signUpLockKey]);
    const target = await em.findOne(User, { email: normaliseEmail(email) });
    if (!target) {
      throw new IdentityError('member_not_found', {
        message: `No account with the email ${email}.`,
      });
    }
    const current = await em.findOne(User, { platformRole: 'super_admin' });
    if (current?.id === target.id) return { from: current.email, to: target.email };
    if (current) {
      current.platformRole = null;
      await em.flush(); // first: the unique index allows one super_admin at a time
    }
    target.platformRole = 'super_admin';
    await em.flush();
    await recordAudit(em, actor, {
      action: 'platform.super_admin_transfer',
      outcome: 'success',
      targetType: 'user',
      targetId: target.id,
      metadata: { from: current?.email ?? null, to: target.email },
    });
    return { from: current?.email ?? null, to: target.email };
  });
}
