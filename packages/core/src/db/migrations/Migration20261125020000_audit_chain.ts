import { Migration } from '@mikro-orm/migrations';

/**
 * Makes audit_event tamper-evident: every row carries the hash of its predecessor in its
 * chain (one chain per workspace, one for instance-level events) and its own hash, computed
 * by the database on insert; UPDATE, DELETE and TRUNCATE are refused by triggers.
 */
export class Migration20261125020000_audit_chain extends Migration {
  override name = 'Migration20261125020000_audit_chain';

  override up(): void {
    this.addSql(`alter table "audit_event"
      add column "chain" text not null default 'instance',
      add column "chain_seq" bigint not null default 0,
      add column "prev_hash" text null,
      add column "hash" text not null default '';`);

    // The canonical text of a row: every recorded field, in a fixed order and format.
    this.addSql(`create function audit_event_digest(e audit_event) returns text
      language sql stable as $$
        select encode(sha256(convert_to(concat_ws(E'\\x1f',
          e.chain, e.chain_seq::text, coalesce(e.prev_hash, ''),
          to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          coalesce(e.workspace_id::text, ''), coalesce(e.actor_user_id::text, ''), e.actor_kind,
          e.action, coalesce(e.target_type, ''), coalesce(e.target_id, ''), e.outcome,
          coalesce(e.ip, ''), coalesce(e.user_agent, ''), coalesce(e.request_id, ''),
          e.metadata::text
        ), 'UTF8')), 'hex')
      $$;`);

    // Writers of one chain take turns (advisory lock until commit), so each row links to the
    // row committed just before it, even with many processes writing at once.
    this.addSql(`create function audit_event_chain() returns trigger
      language plpgsql as $$
      declare
        previous record;
      begin
        new.chain := coalesce(new.workspace_id::text, 'instance');
        perform pg_advisory_xact_lock(hashtextextended('audit:' || new.chain, 0));
        select chain_seq, hash into previous from audit_event
          where chain = new.chain order by chain_seq desc limit 1;
        new.chain_seq := coalesce(previous.chain_seq, 0) + 1;
        new.prev_hash := previous.hash;
        new.hash := audit_event_digest(new);
        return new;
      end $$;`);
    this.addSql(`create trigger audit_event_chain before insert on "audit_event"
      for each row execute function audit_event_chain();`);

    this.addSql(`create function audit_event_refuse_change() returns trigger
      language plpgsql as $$
      begin
        raise exception 'audit_event is append-only: % refused', tg_op
          using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger audit_event_no_update before update or delete on "audit_event"
      for each row execute function audit_event_refuse_change();`);
    this.addSql(`create trigger audit_event_no_truncate before truncate on "audit_event"
      for each statement execute function audit_event_refuse_change();`);

    // Rows written before this migration become the start of their chains, in id order.
    this.addSql('alter table "audit_event" disable trigger audit_event_no_update;');
    this.addSql(`do $$
      declare
        r audit_event;
        last_hash text;
        last_chain text := null;
        seq bigint := 0;
      begin
        for r in select * from audit_event order by coalesce(workspace_id::text, 'instance'), id loop
          if last_chain is distinct from coalesce(r.workspace_id::text, 'instance') then
            last_chain := coalesce(r.workspace_id::text, 'instance');
            seq := 0;
            last_hash := null;
          end if;
          seq := seq + 1;
          r.chain := last_chain;
          r.chain_seq := seq;
          r.prev_hash := last_hash;
          r.hash := audit_event_digest(r);
          update audit_event set chain = r.chain, chain_seq = r.chain_seq,
            prev_hash = r.prev_hash, hash = r.hash where id = r.id;
          last_hash := r.hash;
        end loop;
      end $$;`);
    this.addSql('alter table "audit_event" enable trigger audit_event_no_update;');
    this.addSql(
      'alter table "audit_event" alter column "chain" drop default, alter column "chain_seq" drop default, alter column "hash" drop default;',
    );
    this.addSql(
      'create unique index "audit_event_chain_seq" on "audit_event" ("chain", "chain_seq");',
    );
  }

  override down(): void {
    this.addSql('drop trigger if exists audit_event_no_truncate on "audit_event";');
    this.addSql('drop trigger if exists audit_event_no_update on "audit_event";');
    this.addSql('drop trigger if exists audit_event_chain on "audit_event";');
    this.addSql('drop function if exists audit_event_refuse_change();');
    this.addSql('drop function if exists audit_event_chain();');
    this.addSql('drop function if exists audit_event_digest(audit_event);');
    this.addSql('drop index if exists "audit_event_chain_seq";');
    this.addSql(`alter table "audit_event" drop column "chain", drop column "chain_seq",
      drop column "prev_hash", drop column "hash";`);
  }
}
