import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { isUniqueViolation, sql } from '../db/sql.js';
import { seal, unseal } from './envelope.js';
import { SecretsError } from './errors.js';
import type { Keyring, MasterKey } from './master-key.js';

export interface SecretView {
  id: string;
  name: string;
  description: string | null;
  /** The last characters only, e.g. "••••3f9a": enough to recognise, never enough to use. */
  mask: string;
  createdAt: Date;
  updatedAt: Date;
}

interface SecretRow {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  data_key_version: number;
  ciphertext: Buffer;
  hint: string;
  created_at: Date;
  updated_at: Date;
}

const dataKeyAad = (workspaceId: string, version: number) =>
  `pmos:dek:v1:${workspaceId}:${version}`;
const secretAad = (workspaceId: string, secretId: string, version: number) =>
  `pmos:secret:v1:${workspaceId}:${secretId}:${version}`;

const ownedAad = (workspaceId: string, owner: { kind: string; id: string }, version: number) =>
  `pmos:${owner.kind}:v1:${workspaceId}:${owner.id}:${version}`;

/** A value sealed with a workspace data key, as the owning row stores it. */
export interface SealedValue {
  dataKeyVersion: number;
  ciphertext: Buffer;
}

function hintOf(value: string): string {
  return value.length >= 12 ? value.slice(-4) : '';
}

function view(row: SecretRow): SecretView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    mask: `••••${row.hint}`,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/**
 * Envelope encryption for workspace secrets: each workspace has a data key (AES-256),
 * stored wrapped by the master key; secrets are sealed with the data key. The API only ever
 * sees masks; plaintext leaves here only through `revealForExecution`.
 */
export class SecretsVault {
  /** Unwrapped data keys, by workspace and version: unwrapping once per process is enough. */
  private readonly dataKeys = new Map<string, Buffer>();

  constructor(private keyring: Keyring) {}

  get currentKeyId(): string {
    return this.keyring.current.id;
  }

  /** The keys in use (a running server swaps them during a master key rotation). */
  get keys(): Keyring {
    return this.keyring;
  }

  replaceKeyring(keyring: Keyring): void {
    this.keyring = keyring;
  }

  private keyById(id: string): MasterKey {
    const key = [this.keyring.current, ...this.keyring.previous].find((k) => k.id === id);
    if (!key) throw new SecretsError('master_key_mismatch');
    return key;
  }

  /** Refuses to run with a key that cannot open what the database holds. Call at start. */
  async assertKeyringMatches(em: EntityManager): Promise<void> {
    const rows = await sql<{ master_key_id: string }>(
      em,
      'select distinct master_key_id from workspace_data_key',
    );
    for (const row of rows) this.keyById(row.master_key_id);
  }

  /** The workspace's current data key, created (and wrapped) on first use. */
  private async dataKey(
    em: EntityManager,
    workspaceId: string,
    version?: number,
  ): Promise<{ version: number; key: Buffer }> {
    const rows = await sql<{ version: number; master_key_id: string; wrapped_key: Buffer }>(
      em,
      version === undefined
        ? 'select version, master_key_id, wrapped_key from workspace_data_key where workspace_id = ? order by version desc limit 1'
        : 'select version, master_key_id, wrapped_key from workspace_data_key where workspace_id = ? and version = ?',
      version === undefined ? [workspaceId] : [workspaceId, version],
    );
    const row = rows[0];
    if (row) {
      const cacheKey = `${workspaceId}:${row.version}:${row.master_key_id}`;
      let key = this.dataKeys.get(cacheKey);
      if (!key) {
        key = unseal(
          this.keyById(row.master_key_id).key,
          row.wrapped_key,
          dataKeyAad(workspaceId, row.version),
        );
        this.dataKeys.set(cacheKey, key);
      }
      return { version: row.version, key };
    }
    if (version !== undefined) throw new SecretsError('secret_tampered');
    const key = randomBytes(32);
    const master = this.keyring.current;
    await sql(
      em,
      `insert into workspace_data_key (workspace_id, version, master_key_id, wrapped_key)
       values (?, 1, ?, ?) on conflict do nothing`,
      [workspaceId, master.id, seal(master.key, key, dataKeyAad(workspaceId, 1))],
    );
    return this.dataKey(em, workspaceId); // whoever won a concurrent first use, read it back
  }

  async list(em: EntityManager, workspaceId: string): Promise<SecretView[]> {
    const rows = await sql<SecretRow>(
      em,
      'select * from secret where workspace_id = ? order by name',
      [workspaceId],
    );
    return rows.map(view);
  }

  async create(
    em: EntityManager,
    workspaceId: string,
    input: { name: string; value: string; description?: string | null },
    actor: ActorContext,
  ): Promise<SecretView> {
    const id = randomUUID();
    const dataKey = await this.dataKey(em, workspaceId);
    const ciphertext = seal(
      dataKey.key,
      Buffer.from(input.value, 'utf8'),
      secretAad(workspaceId, id, dataKey.version),
    );
    try {
      const [row] = await sql<SecretRow>(
        em,
        `insert into secret (id, workspace_id, name, description, data_key_version, ciphertext, hint, created_by)
         values (?, ?, ?, ?, ?, ?, ?, ?) returning *`,
        [
          id,
          workspaceId,
          input.name,
          input.description ?? null,
          dataKey.version,
          ciphertext,
          hintOf(input.value),
          actor.userId,
        ],
      );
      await recordAudit(em, actor, {
        action: 'secret.create',
        outcome: 'success',
        workspaceId,
        targetType: 'secret',
        targetId: id,
        metadata: { name: input.name },
      });
      return view(row as SecretRow);
    } catch (error) {
      if (isUniqueViolation(error)) throw new SecretsError('secret_name_taken');
      throw error;
    }
  }

  async update(
    em: EntityManager,
    workspaceId: string,
    id: string,
    input: { value?: string; description?: string | null },
    actor: ActorContext,
  ): Promise<SecretView> {
    const sets: string[] = ['updated_at = now()'];
    const params: unknown[] = [];
    if (input.value !== undefined) {
      const dataKey = await this.dataKey(em, workspaceId);
      sets.push('ciphertext = ?', 'data_key_version = ?', 'hint = ?');
      params.push(
        seal(
          dataKey.key,
          Buffer.from(input.value, 'utf8'),
          secretAad(workspaceId, id, dataKey.version),
        ),
        dataKey.version,
        hintOf(input.value),
      );
    }
    if (input.description !== undefined) {
      sets.push('description = ?');
      params.push(input.description);
    }
    const [row] = await sql<SecretRow>(
      em,
      `update secret set ${sets.join(', ')} where id = ? and workspace_id = ? returning *`,
      [...params, id, workspaceId],
    );
    if (!row) throw new SecretsError('secret_not_found');
    await recordAudit(em, actor, {
      action: 'secret.update',
      outcome: 'success',
      workspaceId,
      targetType: 'secret',
      targetId: id,
      metadata: { name: row.name, valueChanged: input.value !== undefined },
    });
    return view(row);
  }

  async delete(
    em: EntityManager,
    workspaceId: string,
    id: string,
    actor: ActorContext,
  ): Promise<void> {
    const [row] = await sql<{ name: string }>(
      em,
      'delete from secret where id = ? and workspace_id = ? returning name',
      [id, workspaceId],
    );
    if (!row) throw new SecretsError('secret_not_found');
    await recordAudit(em, actor, {
      action: 'secret.delete',
      outcome: 'success',
      workspaceId,
      targetType: 'secret',
      targetId: id,
      metadata: { name: row.name },
    });
  }

  /**
   * The plaintext, for a plugin's execution context only — never for an API response.
   * A row altered or copied from another workspace fails its integrity check.
   */
  async revealForExecution(em: EntityManager, workspaceId: string, id: string): Promise<string> {
    const [row] = await sql<SecretRow>(
      em,
      'select * from secret where id = ? and workspace_id = ?',
      [id, workspaceId],
    );
    if (!row) throw new SecretsError('secret_not_found');
    const dataKey = await this.dataKey(em, workspaceId, row.data_key_version);
    return unseal(
      dataKey.key,
      row.ciphertext,
      secretAad(workspaceId, row.id, row.data_key_version),
    ).toString('utf8');
  }

  /**
   * Seals a value another table keeps (e.g. a connection's credentials) with the workspace
   * data key, bound to its owner: copied to another row or workspace, it will not open.
   */
  async sealOwned(
    em: EntityManager,
    workspaceId: string,
    owner: { kind: 'connection' | 'oauth2_pending'; id: string },
    plaintext: string,
  ): Promise<SealedValue> {
    const dataKey = await this.dataKey(em, workspaceId);
    return {
      dataKeyVersion: dataKey.version,
      ciphertext: seal(
        dataKey.key,
        Buffer.from(plaintext, 'utf8'),
        ownedAad(workspaceId, owner, dataKey.version),
      ),
    };
  }

  /** Opens a value sealed by `sealOwned`, for a plugin's execution context only. */
  async openOwnedForExecution(
    em: EntityManager,
    workspaceId: string,
    owner: { kind: 'connection' | 'oauth2_pending'; id: string },
    sealed: SealedValue,
  ): Promise<string> {
    const dataKey = await this.dataKey(em, workspaceId, sealed.dataKeyVersion);
    return unseal(
      dataKey.key,
      sealed.ciphertext,
      ownedAad(workspaceId, owner, sealed.dataKeyVersion),
    ).toString('utf8');
  }

  /**
   * Re-wraps every data key under the current master key, in one transaction; secrets
   * themselves are untouched. Other processes keep working if they hold both keys.
   */
  async rotateMasterKey(em: EntityManager, actor: ActorContext): Promise<{ rewrapped: number }> {
    return em.transactional(async (tx) => {
      const rows = await sql<{
        workspace_id: string;
        version: number;
        master_key_id: string;
        wrapped_key: Buffer;
      }>(
        tx,
        'select workspace_id, version, master_key_id, wrapped_key from workspace_data_key where master_key_id <> ? for update',
        [this.keyring.current.id],
      );
      for (const row of rows) {
        const aad = dataKeyAad(row.workspace_id, row.version);
        const key = unseal(this.keyById(row.master_key_id).key, row.wrapped_key, aad);
        await sql(
          tx,
          'update workspace_data_key set master_key_id = ?, wrapped_key = ? where workspace_id = ? and version = ?',
          [
            this.keyring.current.id,
            seal(this.keyring.current.key, key, aad),
            row.workspace_id,
            row.version,
          ],
        );
      }
      await recordAudit(tx, actor, {
        action: 'secrets.rotate_master',
        outcome: 'success',
        metadata: { rewrapped: rows.length, masterKeyId: this.keyring.current.id },
      });
      return { rewrapped: rows.length };
    });
  }
}
