/**
 * The torchstack error family. Every error a user can see carries a stable
 * `code` (callers branch on codes, never on message text), a message saying
 * what went wrong and why, and `remedies`: its fixes, the exact commands or edits
 * that fix it. The idea is called a fix everywhere (the text output prints each as
 * `fix: …`, findings carry `fix`); this field alone is named `remedies` because it
 * is the key of the `--json` error contract `{"ok":false,"error":{"code","message","remedies"}}`.
 * `exitCode` follows the CLI contract: 2 for usage errors, 1 for everything else.
 */

import { ERROR_CODES, type ErrorCode } from "./error-codes.js";

export type { ErrorCode };

export interface ErrorOptions {
  remedies?: readonly string[];
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class TorchstackError extends Error {
  readonly code: ErrorCode;
  readonly remedies: readonly string[];
  readonly details: Record<string, unknown> | undefined;
  readonly exitCode: 1 | 2;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.remedies = options.remedies ?? [];
    this.details = options.details;
    this.exitCode = ERROR_CODES[code].exit;
  }

  /** The `error` object of the `{"ok":false,"error":…}` JSON contract (`alternatives`: resolve's proven requests). */
  toJSON(): { code: ErrorCode; message: string; remedies: string[]; alternatives?: unknown[] } {
    const alternatives = this.details?.alternatives;
    return {
      code: this.code,
      message: this.message,
      remedies: [...this.remedies],
      ...(Array.isArray(alternatives) ? { alternatives: [...alternatives] } : {}),
    };
  }
}

/** Malformed command line: exit 2, one line, no stack trace. */
export class UsageError extends TorchstackError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("E_USAGE", message, options);
  }
}

/** A problem in torchstack.yaml (or another input file), located by file, line and key. */
export class SpecError extends TorchstackError {
  readonly file: string;
  readonly line: number | undefined;
  readonly key: string | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    where: { file: string; line?: number | undefined; key?: string | undefined },
    options: ErrorOptions = {},
  ) {
    const at = `${where.file}${where.line === undefined ? "" : `:${where.line}`}`;
    super(code, `${at}: ${where.key ? `${where.key}: ` : ""}${message}`, options);
    this.file = where.file;
    this.line = where.line;
    this.key = where.key;
  }
}

/** No compatible stack exists for what was asked; remedies name concrete versions. */
export class ResolveError extends TorchstackError {}

/** The container engine is missing, unreachable, or refused an operation. */
export class EngineError extends TorchstackError {}

/** A spawned process failed. Keeps what a caller needs to explain the failure. */
export class ProcessError extends TorchstackError {
  readonly command: readonly string[];
  readonly processExitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly timedOut: boolean;
  constructor(
    message: string,
    result: {
      command: readonly string[];
      exitCode: number | null;
      signal: string | null;
      stderr: string;
      timedOut: boolean;
    },
    options: ErrorOptions & { code?: ErrorCode } = {},
  ) {
    super(options.code ?? "E_PROCESS_FAILED", message, options);
    this.command = result.command;
    this.processExitCode = result.exitCode;
    this.signal = result.signal;
    this.stderr = result.stderr;
    this.timedOut = result.timedOut;
  }
}

export function isTorchstackError(value: unknown): value is TorchstackError {
  return value instanceof TorchstackError;
}
