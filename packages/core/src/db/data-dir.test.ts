import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataDir } from './data-dir.js';
import { dbErrorCodes } from './errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pmos-datadir-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('openDataDir', () => {
  it('creates a new folder with a marker and takes the lock', () => {
    const dir = openDataDir(join(root, 'data'));
    expect(dir.created).toBe(true);
    const marker = JSON.parse(readFileSync(join(root, 'data', 'instance.json'), 'utf8'));
    expect(marker).toEqual(dir.marker);
    expect(readFileSync(join(root, 'data', 'pmos.lock'), 'utf8').trim()).toBe(String(process.pid));
    dir.release();
  });

  it('refuses a non-empty folder PMOS did not create, naming what it found', () => {
    writeFileSync(join(root, 'notes.txt'), 'mine');
    expect(() => openDataDir(root)).toThrowError(
      expect.objectContaining({
        code: dbErrorCodes.dataDirForeign,
        message: expect.stringContaining('notes.txt'),
      }),
    );
  });

  it('calls a marked folder without pgdata damaged instead of re-initialising it', () => {
    const first = openDataDir(root);
    first.release();
    expect(() => openDataDir(root)).toThrowError(
      expect.objectContaining({ code: dbErrorCodes.dataDirDamaged }),
    );
  });

  it('calls an unreadable marker damaged', () => {
    writeFileSync(join(root, 'instance.json'), '{not json');
    expect(() => openDataDir(root)).toThrowError(
      expect.objectContaining({ code: dbErrorCodes.dataDirDamaged }),
    );
  });

  it('refuses a folder locked by another live process and takes over a stale lock', () => {
    const first = openDataDir(root);
    mkdirSync(join(root, 'pgdata'));
    writeFileSync(join(root, 'pgdata', 'PG_VERSION'), '17\n');
    // pid 1 is always alive: another PMOS holds the folder.
    writeFileSync(join(root, 'pmos.lock'), '1\n');
    expect(() => openDataDir(root)).toThrowError(
      expect.objectContaining({
        code: dbErrorCodes.dataDirInUse,
        message: expect.stringContaining('pid 1'),
      }),
    );
    // A pid that cannot exist: the lock is stale and is taken over.
    writeFileSync(join(root, 'pmos.lock'), '2147483646\n');
    const second = openDataDir(root);
    expect(second.created).toBe(false);
    expect(second.marker.instanceId).toBe(first.marker.instanceId);
    second.release();
  });
});
