import { PmosError } from '../errors.js';

const catalogue = {
  master_key_missing: [
    500,
    'No master key: set PMOS_MASTER_KEY (generate one with: openssl rand -base64 32).',
  ],
  master_key_invalid: [500, 'The master key is not base64 of exactly 32 bytes.'],
  master_key_mismatch: [
    500,
    'PMOS_MASTER_KEY is not the key this database’s secrets were encrypted with. Start PMOS with the right key (or add the old one to PMOS_MASTER_KEY_PREVIOUS while rotating).',
  ],
  secret_tampered: [
    500,
    'A stored secret failed its integrity check: it was changed outside PMOS or belongs to another workspace. It was not used.',
  ],
  secret_not_found: [404, 'No such secret in this workspace.'],
  secret_name_taken: [409, 'A secret with this name already exists in the workspace.'],
} as const satisfies Record<string, readonly [number, string]>;

export type SecretsErrorCode = keyof typeof catalogue;

export class SecretsError extends PmosError {
  constructor(code: SecretsErrorCode, options: { message?: string; cause?: unknown } = {}) {
    const [status, message] = catalogue[code];
    super(code, options.message ?? message, { status, cause: options.cause });
    this.name = 'SecretsError';
  }
}
