import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthDefinition } from '@pmos/sdk/server';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { isUniqueViolation, sql } from '../db/sql.js';
import type { SecretsVault } from '../secrets/vault.js';
import { decodeConnectionValue, encodeConnectionValue } from './connection-value.js';
import { PluginError } from './errors.js';

export interface ConnectionView {
  id: string;
  pluginId: string;
  connectorId: string;
  displayName: string;
  authKind: string;
  mask: string;
  status: 'healthy' | 'failing' | 'untested';
  lastCheck: { ok: boolean; message: string; checkedAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

interface ConnectionRow {
  id: string;
  workspace_id: string;
  plugin_id: string;
  connector_id: string;
  display_name: string;
  auth_kind: string;
  data_key_version: number | null;
  ciphertext: Buffer | null;
  mask: string;
  last_check_ok: boolean | null;
  last_check_message: string | null;
  last_checked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function view(row: ConnectionRow): ConnectionView {
  const lastCheck =
    row.last_checked_at && row.last_check_ok !== null
      ? {
          ok: row.last_check_ok,
          message: row.last_check_message ?? '',
          checkedAt: new Date(row.last_checked_at),
        }
      : null;
  return {
    id: row.id,
    pluginId: row.plugin_id,
    connectorId: row.connector_id,
    displayName: row.display_name,
    authKind: row.auth_kind,
    mask: row.mask,
    status: lastCheck === null ? 'untested' : lastCheck.ok ? 'healthy' : 'failing',
    lastCheck,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

const owner = (id: string) => ({ kind: 'connection' as const, id });

/**
 * A workspace's connections to outside services. Values are sealed by the vault with the
 * workspace data key and bound to the connection id; the API sees only masks.
 */
export class Connections {
  constructor(private readonly vault: SecretsVault) {}

  async list(
    em: EntityManager,
    workspaceId: string,
    filter: { pluginId?: string; connectorId?: string } = {},
  ): Promise<ConnectionView[]> {
    const rows = await sql<ConnectionRow>(
      em,
      `select * from connection where workspace_id = ?
         and (?::text is null or plugin_id = ?) and (?::text is null or connector_id = ?)
       order by lower(display_name), created_at`,
      [
        workspaceId,
        filter.pluginId ?? null,
        filter.pluginId ?? null,
        filter.connectorId ?? null,
        filter.connectorId ?? null,
      ],
    );
    return rows.map(view);
  }

  async get(em: EntityManager, workspaceId: string, id: string): Promise<ConnectionView> {
    return view(await this.row(em, workspaceId, id));
  }

  private async row(em: EntityManager, workspaceId: string, id: string): Promise<ConnectionRow> {
    const [row] = await sql<ConnectionRow>(
      em,
      'select * from connection where id = ? and workspace_id = ?',
      [id, workspaceId],
    );
    if (!row) throw new PluginError('connection_not_found');
    return row;
  }

  async create(
    em: EntityManager,
    workspaceId: string,
    input: {
      pluginId: string;
      connectorId: string;
      auth: AuthDefinition;
      displayName: string;
      value?: unknown;
      /** Already encoded (an OAuth2 sign-in): skips `encodeConnectionValue`. */
      encoded?: { plaintext: string; mask: string };
    },
    actor: ActorContext,
  ): Promise<ConnectionView> {
    const { plaintext, mask } = input.encoded ?? encodeConnectionValue(input.auth, input.value);
    const id = randomUUID();
    const sealed =
      plaintext === null ? null : await this.vault.sealOwned(em, workspaceId, owner(id), plaintext);
    const rows = await sql<ConnectionRow>(
      em,
      `insert into connection (id, workspace_id, plugin_id, connector_id, display_name, auth_kind,
         data_key_version, ciphertext, mask, created_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning *`,
      [
        id,
        workspaceId,
        input.pluginId,
        input.connectorId,
        input.displayName,
        input.auth.kind,
        sealed?.dataKeyVersion ?? null,
        sealed?.ciphertext ?? null,
        mask,
        actor.userId,
      ],
    ).catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new PluginError('connection_name_taken');
      throw error;
    });
    await recordAudit(em, actor, {
      action: 'connection.create',
      outcome: 'success',
      workspaceId,
      targetType: 'connection',
      targetId: id,
      metadata: {
        pluginId: input.pluginId,
        connectorId: input.connectorId,
        displayName: input.displayName,
      },
    });
    return view(rows[0] as ConnectionRow);
  }

  async update(
    em: EntityManager,
    workspaceId: string,
    id: string,
    input: { auth: AuthDefinition; displayName?: string; value?: unknown },
    actor: ActorContext,
  ): Promise<ConnectionView> {
    const sets = ['updated_at = now()'];
    const params: unknown[] = [];
    if (input.displayName !== undefined) {
      sets.push('display_name = ?');
      params.push(input.displayName);
    }
    if (input.value !== undefined) {
      const { plaintext, mask } = encodeConnectionValue(input.auth, input.value);
      const sealed =
        plaintext === null
          ? null
          : await this.vault.sealOwned(em, workspaceId, owner(id), plaintext);
      // A new value has not been checked yet.
      sets.push(
        'data_key_version = ?',
        'ciphertext = ?',
        'mask = ?',
        'last_check_ok = null',
        'last_check_message = null',
        'last_checked_at = null',
      );
      params.push(sealed?.dataKeyVersion ?? null, sealed?.ciphertext ?? null, mask);
    }
    const [row] = await sql<ConnectionRow>(
      em,
      `update connection set ${sets.join(', ')} where id = ? and workspace_id = ? returning *`,
      [...params, id, workspaceId],
    ).catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new PluginError('connection_name_taken');
      throw error;
    });
    if (!row) throw new PluginError('connection_not_found');
    await recordAudit(em, actor, {
      action: 'connection.update',
      outcome: 'success',
      workspaceId,
      targetType: 'connection',
      targetId: id,
      metadata: {
        displayName: row.display_name,
        renamed: input.displayName !== undefined,
        valueChanged: input.value !== undefined,
      },
    });
    return view(row);
  }

  async delete(
    em: EntityManager,
    workspaceId: string,
    id: string,
    actor: ActorContext,
  ): Promise<void> {
    const [row] = await sql<{ display_name: string; plugin_id: string }>(
      em,
      'delete from connection where id = ? and workspace_id = ? returning display_name, plugin_id',
      [id, workspaceId],
    );
    if (!row) throw new PluginError('connection_not_found');
    await recordAudit(em, actor, {
      action: 'connection.delete',
      outcome: 'success',
      workspaceId,
      targetType: 'connection',
      targetId: id,
      metadata: { displayName: row.display_name, pluginId: row.plugin_id },
    });
  }

  /** The decrypted value for a plugin call (health check, options, a run) — never for a response. */
  async revealForExecution(
    em: EntityManager,
    workspaceId: string,
    id: string,
    auth: AuthDefinition,
  ): Promise<{ connection: ConnectionView; value: unknown }> {
    const row = await this.row(em, workspaceId, id);
    const plaintext =
      row.ciphertext === null || row.data_key_version === null
        ? null
        : await this.vault.openOwnedForExecution(em, workspaceId, owner(id), {
            ciphertext: row.ciphertext,
            dataKeyVersion: row.data_key_version,
          });
    return { connection: view(row), value: decodeConnectionValue(auth, plaintext) };
  }

  /** Replaces the sealed value in place (renewed OAuth2 tokens); the mask and check stay. */
  async replaceValue(
    em: EntityManager,
    workspaceId: string,
    id: string,
    plaintext: string,
  ): Promise<void> {
    const sealed = await this.vault.sealOwned(em, workspaceId, owner(id), plaintext);
    await sql(
      em,
      'update connection set data_key_version = ?, ciphertext = ?, updated_at = now() where id = ? and workspace_id = ?',
      [sealed.dataKeyVersion, sealed.ciphertext, id, workspaceId],
    );
  }

  async recordCheck(
    em: EntityManager,
    workspaceId: string,
    id: string,
    report: { ok: boolean; message: string },
    actor: ActorContext,
  ): Promise<ConnectionView> {
    const [row] = await sql<ConnectionRow>(
      em,
      `update connection set last_check_ok = ?, last_check_message = ?, last_checked_at = now()
       where id = ? and workspace_id = ? returning *`,
      [report.ok, report.message, id, workspaceId],
    );
    if (!row) throw new PluginError('connection_not_found');
    await recordAudit(em, actor, {
      action: 'connection.test',
      outcome: report.ok ? 'success' : 'failure',
      workspaceId,
      targetType: 'connection',
      targetId: id,
      metadata: { displayName: row.display_name, message: report.message },
    });
    return view(row);
  }
}
