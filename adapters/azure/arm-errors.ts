// What an error from the ARM SDK says, read without trusting its type: the SDK throws a RestError
// (`statusCode`, `code` = ARM's error code, `message` = ARM's message) for error answers, a plain
// Error for a failed long-running operation, and AbortError when our deadline fires.

export interface ArmErrorInfo {
  /** HTTP status of an error answer; undefined for errors that are not answers. */
  status: number | undefined;
  /** ARM's error code (`ResourceNotFound`, `OperationNotAllowed`, …). */
  code: string | undefined;
  message: string;
}

export function armErrorInfo(error: unknown): ArmErrorInfo {
  if (typeof error !== 'object' || error === null) return { status: undefined, code: undefined, message: String(error) };
  const record = error as Record<string, unknown>;
  const status = typeof record.statusCode === 'number' ? record.statusCode : undefined;
  const code = typeof record.code === 'string' ? record.code : undefined;
  const message = typeof record.message === 'string' ? record.message : String(error);
  return { status, code, message };
}

/** `404 ResourceNotFound: The Resource … was not found.` */
export function describeArmError(info: ArmErrorInfo): string {
  const head = [info.status, info.code].filter((part) => part !== undefined).join(' ');
  return head === '' ? info.message : `${head}: ${info.message}`;
}
