/** The HTTP status of a failed backend call, when the error carries one. */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as {
    statusCode?: unknown;
    response?: { status?: unknown };
  };
  if (typeof candidate.statusCode === 'number') return candidate.statusCode;
  if (typeof candidate.response?.status === 'number') {
    return candidate.response.status;
  }
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  return (
    statusCodeOf(error) === 404 ||
    (error instanceof Error && error.name === 'NotFoundError')
  );
}

/**
 * The message a person should read: the backend's own message when the
 * response carried one (e.g. "You may not add exemptions to …"), else the
 * error's message.
 */
export function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const body = (error as { body?: { error?: { message?: unknown } } }).body;
    const backendMessage = body?.error?.message;
    const message =
      typeof backendMessage === 'string' && backendMessage
        ? backendMessage
        : String((error as { message?: unknown }).message ?? error);
    if (statusCodeOf(error) === 403) return `Not permitted: ${message}`;
    return message;
  }
  return String(error);
}
